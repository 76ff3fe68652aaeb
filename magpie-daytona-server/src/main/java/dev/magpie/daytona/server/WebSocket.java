package dev.magpie.daytona.server;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server end of one WebSocket (RFC 6455) on a socket that {@link FrontDoor} took over: the handshake, then
 * text and binary messages both ways. Sending is thread-safe; one thread reads.
 */
final class WebSocket implements Closeable {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int TEXT = 1;
    private static final int BINARY = 2;
    private static final int CLOSE = 8;
    private static final int PING = 9;
    private static final int PONG = 10;
    /** The largest message read; the clients here send small control messages only. */
    private static final int MAX_MESSAGE = 1 << 20;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    /** Held while a frame is written: frames of two threads never interleave. */
    private final ReentrantLock sending = new ReentrantLock();
    private boolean closeSent;

    private WebSocket(Socket socket, InputStream in) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
    }

    /** Completes the handshake of an upgrade request, whose {@code Sec-WebSocket-Key} {@link Upgrades} checked. */
    static WebSocket accept(FrontDoor.Head head, Socket socket, InputStream in) throws IOException {
        return accept(head, socket, in, null);
    }

    /** The same, agreeing to the subprotocol (one the client offered), or to none when null. */
    static WebSocket accept(FrontDoor.Head head, Socket socket, InputStream in, String subprotocol)
            throws IOException {
        String key = head.header("Sec-WebSocket-Key");
        WebSocket ws = new WebSocket(socket, in);
        String reply = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + acceptKey(key.trim()) + "\r\n"
                + (subprotocol == null ? "" : "Sec-WebSocket-Protocol: " + subprotocol + "\r\n") + "\r\n";
        ws.out.write(reply.getBytes(StandardCharsets.US_ASCII));
        ws.out.flush();
        return ws;
    }

    private static String acceptKey(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
        }
    }

    void sendText(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        send(TEXT, bytes, 0, bytes.length);
    }

    void sendBinary(byte[] bytes, int offset, int length) throws IOException {
        send(BINARY, bytes, offset, length);
    }

    /** Sends a close frame with the status code and reason (once; not while a send is stuck), then closes it. */
    void close(int code, String reason) {
        try {
            byte[] text = reason.getBytes(StandardCharsets.UTF_8);
            byte[] payload = new byte[2 + Math.min(text.length, 123)];
            payload[0] = (byte) (code >> 8);
            payload[1] = (byte) code;
            System.arraycopy(text, 0, payload, 2, payload.length - 2);
            // a send stuck on a peer that does not read holds the lock: then the socket is closed without a frame,
            // which also ends that send
            if (sending.tryLock()) {
                try {
                    if (!closeSent) {
                        closeSent = true;
                        send(CLOSE, payload, 0, payload.length);
                    }
                } finally {
                    sending.unlock();
                }
            }
        } catch (IOException e) {
            // the peer is gone: closing the socket is all that is left
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing more can be done with it
        }
    }

    /** How long a read waits for the peer before it fails with a {@link java.net.SocketTimeoutException}. */
    void readTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    /** The next text or binary message as UTF-8 text, as {@link #read}. */
    String readText() throws IOException {
        byte[] message = read();
        return message == null ? null : new String(message, StandardCharsets.UTF_8);
    }

    /**
     * The next text or binary message; pings are answered on the way. Null when the peer closed (its close frame
     * is answered) or the connection ended.
     */
    byte[] read() throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            int first = in.read();
            if (first < 0) {
                return null;
            }
            int second = readByte();
            boolean fin = (first & 0x80) != 0;
            int opcode = first & 0x0F;
            long length = second & 0x7F;
            if (length == 126) {
                length = (readByte() << 8) | readByte();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | readByte();
                }
            }
            if ((second & 0x80) == 0) {
                // RFC 6455 5.1: a server closes the connection on an unmasked frame from its client
                close(1002, "a client's frames must be masked");
                return null;
            }
            // a 64-bit length with its top bit set reads as negative
            if (length < 0 || length + message.size() > MAX_MESSAGE) {
                close(1009, "message too big");
                return null;
            }
            byte[] mask = in.readNBytes(4);
            byte[] payload = in.readNBytes((int) length);
            if (payload.length < length) {
                return null;
            }
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
            if (opcode == CLOSE) {
                close(1000, "");
                return null;
            } else if (opcode == PING) {
                send(PONG, payload, 0, payload.length);
            } else if (opcode != PONG) {
                message.write(payload);
                if (fin) {
                    return message.toByteArray();
                }
            }
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the WebSocket ended inside a frame");
        }
        return b;
    }

    private void send(int opcode, byte[] bytes, int offset, int length) throws IOException {
        byte[] header;
        if (length < 126) {
            header = new byte[] {(byte) (0x80 | opcode), (byte) length};
        } else if (length < 65536) {
            header = new byte[] {(byte) (0x80 | opcode), 126, (byte) (length >> 8), (byte) length};
        } else {
            header = new byte[10];
            header[0] = (byte) (0x80 | opcode);
            header[1] = 127;
            for (int i = 0; i < 8; i++) {
                header[9 - i] = (byte) ((long) length >> (8 * i));
            }
        }
        sending.lock();
        try {
            out.write(header);
            out.write(bytes, offset, length);
            out.flush();
        } finally {
            sending.unlock();
        }
    }
}
