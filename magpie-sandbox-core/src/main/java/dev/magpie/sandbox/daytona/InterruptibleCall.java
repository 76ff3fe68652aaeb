package dev.magpie.sandbox.daytona;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.Response;

/**
 * Runs a call whose reply may take as long as a command runs so that interrupting the waiting thread cancels it:
 * OkHttp's blocking {@code execute} ignores interrupts, so the call is enqueued and its reply awaited
 * interruptibly. The dispatcher has no limit on calls at once (each waits on a command of its own) and daemon
 * threads, so it never keeps a JVM alive.
 */
final class InterruptibleCall {

    private static final ExecutorService THREADS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "magpie-daytona-waiting-call");
                t.setDaemon(true);
                return t;
            });
    static final Dispatcher DISPATCHER = dispatcher();

    private InterruptibleCall() {
    }

    private static Dispatcher dispatcher() {
        Dispatcher d = new Dispatcher(THREADS);
        d.setMaxRequests(Integer.MAX_VALUE);
        d.setMaxRequestsPerHost(Integer.MAX_VALUE);
        return d;
    }

    /**
     * The call's response once its headers arrived.
     *
     * @throws InterruptedIOException when the thread is interrupted while waiting (the call is cancelled and the
     *     interrupt flag stays set)
     */
    static Response execute(Call call) throws IOException {
        CompletableFuture<Response> reply = new CompletableFuture<>();
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call failed, IOException e) {
                reply.completeExceptionally(e);
            }

            @Override
            public void onResponse(Call answered, Response response) {
                if (!reply.complete(response)) {
                    response.close();
                }
            }
        });
        try {
            return reply.get();
        } catch (InterruptedException e) {
            call.cancel();
            reply.cancel(false);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + call.request().method() + " "
                    + call.request().url().encodedPath());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }
}
