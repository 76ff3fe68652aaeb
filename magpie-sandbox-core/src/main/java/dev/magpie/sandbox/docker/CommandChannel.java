package dev.magpie.sandbox.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.magpie.sandbox.WorkspaceException;
import dev.magpie.sandbox.internal.OutputCollector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One long-lived {@code sh} in a container, started through one exec with attached streams, that runs the
 * commands sent to it one at a time (see {@link ChannelProtocol}). A command costs a write and the command's own
 * fork and exec in the container, instead of the engine creating, starting and inspecting an exec.
 *
 * <p>The channel ends when its program exits, is killed, or the container stops; a command in flight then fails
 * with a {@link WorkspaceException}, and {@link Call#neverStarted()} tells whether it had begun.
 */
final class CommandChannel {

    private final ChannelInput input = new ChannelInput();
    private final Streams streams = new Streams();
    private final CountDownLatch greeted = new CountDownLatch(1);
    private final ByteArrayOutputStream greeting = new ByteArrayOutputStream();
    private final ByteArrayOutputStream complaint = new ByteArrayOutputStream();
    private int pid;
    private Call current;
    private String endedBecause;

    /** Starts the channel as {@code user} (empty for the image's) and waits for its greeting. */
    static CommandChannel open(DockerClient client, String containerId, String user, Duration greetingTimeout) {
        CommandChannel channel = new CommandChannel();
        // The program arrives on stdin, so that ps in the container shows a short command line, not the program.
        byte[] program = ChannelProtocol.SCRIPT.getBytes(StandardCharsets.UTF_8);
        channel.input.send(program);
        String execId = client.execCreateCmd(containerId)
                .withCmd("sh", "-c", "eval \"$(head -c " + program.length + ")\"", "magpie-channel")
                .withUser(user.isEmpty() ? null : user).withWorkingDir("/").withAttachStdin(true)
                .withAttachStdout(true).withAttachStderr(true).exec().getId();
        client.execStartCmd(execId).withStdIn(channel.input).exec(channel.streams);
        try {
            if (!channel.greeted.await(greetingTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                channel.close();
                throw new WorkspaceException("The command channel in container " + shortId(containerId)
                        + " did not start within " + greetingTimeout.toSeconds() + " s. Check that the container"
                        + " runs and that the engine is not overloaded.");
            }
        } catch (InterruptedException e) {
            channel.close();
            Thread.currentThread().interrupt();
            throw new WorkspaceException("Interrupted while starting the command channel in container "
                    + shortId(containerId) + ".", e);
        }
        synchronized (channel) {
            if (channel.pid == 0) {
                channel.close(); // its input thread waits for requests that will never come
                throw new WorkspaceException("Could not start the command channel (sh) in container "
                        + shortId(containerId) + ": " + channel.endedBecause + ". The image needs sh and coreutils.");
            }
        }
        return channel;
    }

    /** The channel's pid in the container; also its process group, which holds the commands it runs. */
    synchronized int pid() {
        return pid;
    }

    synchronized boolean ended() {
        return endedBecause != null;
    }

    /** Sends one request; the channel must be idle. */
    Call start(String marker, InputStream request, OutputCollector out, OutputCollector err) {
        Call call = new Call(marker, out, err);
        synchronized (this) {
            if (endedBecause != null) {
                call.fail("the channel had already ended (" + endedBecause + ")");
                try {
                    request.close();
                } catch (IOException e) {
                    // never sent; nothing was read from it
                }
                return call;
            }
            current = call;
        }
        input.send(request);
        return call;
    }

    /** Ends the channel's input, so that it exits once idle, and stops reading it. */
    void close() {
        input.close();
        try {
            streams.close();
        } catch (IOException | RuntimeException e) {
            // Closing only stops our reading; the container's clean-up ends the process if it lingers.
        }
    }

    private synchronized void onFrame(StreamType type, byte[] payload) {
        if (pid == 0) {
            greet(type, payload);
        } else if (current != null && current.accept(type, payload)) {
            current = null;
        }
    }

    private void greet(StreamType type, byte[] payload) {
        if (type != StreamType.STDOUT) {
            complaint.writeBytes(payload);
            return;
        }
        greeting.writeBytes(payload);
        String text = greeting.toString(StandardCharsets.UTF_8);
        if (text.startsWith(ChannelProtocol.HELLO) && text.endsWith("\n")) {
            pid = Integer.parseInt(text.substring(ChannelProtocol.HELLO.length()).strip());
            greeted.countDown();
        }
    }

    private synchronized void onEnd(String why) {
        if (endedBecause != null) {
            return;
        }
        String said = (greeting.toString(StandardCharsets.UTF_8) + complaint.toString(StandardCharsets.UTF_8)).strip();
        endedBecause = pid == 0 && !said.isEmpty() ? why + ": " + said : why;
        greeted.countDown();
        if (current != null) {
            current.fail(endedBecause);
            current = null;
        }
    }

    private static String shortId(String containerId) {
        return containerId.substring(0, Math.min(12, containerId.length()));
    }

    /** One command's progress through the channel's streams. */
    static final class Call {
        private final byte[] marker;
        private final OutputCollector out;
        private final OutputCollector err;
        private final MarkerScanner start;
        private final MarkerScanner stdout;
        private final MarkerScanner stderr;
        private final ByteArrayOutputStream trailer = new ByteArrayOutputStream();
        private final CountDownLatch done = new CountDownLatch(1);
        private boolean started;
        private boolean outDone;
        private int status;
        private boolean clean;
        private String failure;

        private Call(String marker, OutputCollector out, OutputCollector err) {
            this.marker = marker.getBytes(StandardCharsets.UTF_8);
            this.out = out;
            this.err = err;
            this.start = new MarkerScanner(this.marker);
            this.stdout = new MarkerScanner(this.marker);
            this.stderr = new MarkerScanner(this.marker);
        }

        /** Waits for the command's end; false when {@code limit} passed first. */
        boolean await(Duration limit) throws InterruptedException {
            if (limit == null) {
                done.await();
                return true;
            }
            return done.await(limit.toNanos(), TimeUnit.NANOSECONDS);
        }

        /** Why the channel ended before the command's end, or null. Only after {@link #await} returned true. */
        synchronized String failure() {
            return failure;
        }

        /** Whether the channel ended before it began this command, so that running it elsewhere is safe. */
        synchronized boolean neverStarted() {
            return failure != null && !started;
        }

        /** The exit status as the shell reported it (128 + n for signal n). */
        synchronized int status() {
            return status;
        }

        /** Whether the command left nothing behind, so that the channel may run the next one. */
        synchronized boolean clean() {
            return clean;
        }

        /** Takes a frame; true when the command is complete. */
        private synchronized boolean accept(StreamType type, byte[] payload) {
            if (type == StreamType.STDERR) {
                if (!stderr.found()) {
                    stderr.feed(payload, 0, payload.length, err::append);
                }
            } else if (!started) {
                byte[] rest = start.feed(payload, 0, payload.length, (bytes, offset, length) -> { });
                if (rest != null) {
                    started = true;
                    acceptStdout(rest);
                }
            } else {
                acceptStdout(payload);
            }
            if (outDone && stderr.found()) {
                done.countDown();
                return true;
            }
            return false;
        }

        private void acceptStdout(byte[] payload) {
            if (!stdout.found()) {
                byte[] rest = stdout.feed(payload, 0, payload.length, out::append);
                if (rest != null) {
                    trailer.writeBytes(rest);
                }
            } else if (!outDone) {
                trailer.writeBytes(payload);
            }
            String text = trailer.toString(StandardCharsets.US_ASCII);
            if (!outDone && text.endsWith("\n")) {
                String[] fields = text.strip().split(" ");
                status = Integer.parseInt(fields[0]);
                clean = fields[1].equals("0");
                outDone = true;
            }
        }

        private synchronized void fail(String why) {
            failure = why;
            done.countDown();
        }
    }

    /** The engine's multiplexed frames, routed to the greeting or the command in flight. */
    private final class Streams extends ResultCallback.Adapter<Frame> {
        @Override
        public void onNext(Frame frame) {
            StreamType type = frame.getStreamType() == StreamType.RAW ? StreamType.STDOUT : frame.getStreamType();
            onFrame(type, frame.getPayload());
        }

        @Override
        public void onError(Throwable throwable) {
            onEnd("the connection to the engine failed: " + throwable.getMessage());
            super.onError(throwable);
        }

        @Override
        public void onComplete() {
            onEnd("its process ended (killed, or the container stopped or restarted)");
            super.onComplete();
        }
    }
}
