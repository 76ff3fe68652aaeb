package dev.magpie.daytona.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A server closed while WebSockets, streamed logs, a terminal and half-sent requests are open leaves no thread,
 * file descriptor or process of its own behind.
 */
class ServerCloseLeavesNothingTest {

    @Test
    void closeEndsOpenWebSocketsAndHalfSentRequests() throws Exception {
        ServerCalls.HTTP.toString();
        long fdsBefore = fds();
        List<String> threadsBefore = serverThreads();
        DaytonaServer server = DaytonaServer.start();
        ServerCalls calls = new ServerCalls(server);
        List<RawWebSocket> clients = new ArrayList<>();
        try {
            String id = calls.started("{}");
            calls.call("POST", "/toolbox/" + id + "/process/session", "{\"sessionId\":\"s\"}");
            String cmd = calls.json("POST", "/toolbox/" + id + "/process/session/s/exec",
                    "{\"command\":\"echo started; sleep 600\",\"runAsync\":true}").path("cmdId").asText();
            String auth = "Authorization: Bearer " + server.apiKey();

            RawWebSocket gateway = open(server, clients);
            assertThat(gateway.upgrade("/api/socket.io/?EIO=4&transport=websocket")).contains("101");
            gateway.readText();
            gateway.sendText("40{\"token\":\"" + server.apiKey() + "\"}", true);
            assertThat(gateway.readText()).startsWith("40");

            RawWebSocket logs = open(server, clients);
            assertThat(logs.upgrade("/toolbox/" + id + "/process/session/s/command/" + cmd + "/logs?follow=true",
                    auth)).contains("101");
            assertThat(logs.read().text()).contains("started");

            RawWebSocket pty = open(server, clients);
            assertThat(pty.upgrade("/toolbox/" + id + "/process/pty/create-connect?id=t", auth)).contains("101");
            assertThat(pty.readText()).contains("connected");

            RawWebSocket silent = open(server, clients);
            RawWebSocket half = open(server, clients);
            half.send("GET /api/sandbox HTTP/1.1\r\nHost: x\r\n".getBytes());
            RawWebSocket halfBody = open(server, clients);
            halfBody.send(("POST /api/sandbox HTTP/1.1\r\nHost: x\r\n" + auth
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{").getBytes());
            assertThat(ProcessHandle.current().descendants().count()).as("the sandbox's processes").isPositive();
        } finally {
            server.close();
        }
        for (RawWebSocket client : clients) {
            client.close();
        }

        await("no thread of the server", () -> serverThreads().equals(threadsBefore) ? null
                : "threads " + serverThreads() + ", before " + threadsBefore);
        await("no process of the server", () -> ProcessHandle.current().descendants().count() == 0 ? null
                : "processes " + ProcessHandle.current().descendants().map(p -> p.info().commandLine()
                        .orElse("?")).toList());
        await("no more file descriptors than before", () -> fds() <= fdsBefore ? null
                : fds() + " descriptors, " + fdsBefore + " before");
    }

    @Test
    void closeWhileClientsKeepConnectingLeavesNoThreadOrDescriptor() throws Exception {
        ServerCalls.HTTP.toString();
        long fdsBefore = fds();
        List<String> threadsBefore = serverThreads();
        for (int round = 0; round < 30; round++) {
            DaytonaServer server = DaytonaServer.start();
            List<java.net.Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            List<Thread> connectors = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread connector = new Thread(() -> {
                    while (!stop.get()) {
                        java.net.Socket socket = new java.net.Socket();
                        sockets.add(socket);
                        try {
                            // a connection the port's full backlog dropped would otherwise be retried for seconds
                            socket.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()), 100);
                        } catch (IOException e) {
                            // the server closed its port
                        }
                    }
                });
                connector.start();
                connectors.add(connector);
            }
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
            while (sockets.size() < 20) {
                assertThat(System.nanoTime()).as("20 connections opened within 20 s").isLessThan(deadline);
                Thread.sleep(1);
            }
            server.close();
            stop.set(true);
            for (Thread connector : connectors) {
                connector.join();
            }
            // the clients stay connected: a connection the server took while closing must end by the server's hand
            int closedRound = round;
            await("no thread of the server while its clients stay connected", () -> serverThreads()
                    .equals(threadsBefore) ? null : "round " + closedRound + ": threads " + serverThreads());
            for (java.net.Socket socket : sockets) {
                socket.close();
            }
        }
        await("no more file descriptors than before", () -> fds() <= fdsBefore ? null
                : fds() + " descriptors, " + fdsBefore + " before");
    }

    private static RawWebSocket open(DaytonaServer server, List<RawWebSocket> clients) throws IOException {
        RawWebSocket client = RawWebSocket.connect(server.port());
        clients.add(client);
        return client;
    }

    private static long fds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc/self/fd", e);
        }
    }

    private static List<String> serverThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("daytona-") || n.startsWith("HTTP-Dispatcher")).sorted().toList();
    }

    /** Polls until the check returns null (what it found otherwise), failing with its last finding after 20 s. */
    private static void await(String what, Supplier<String> check) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String found;
        while ((found = check.get()) != null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " within 20 s of close: " + found);
            }
            Thread.sleep(20);
        }
    }
}
