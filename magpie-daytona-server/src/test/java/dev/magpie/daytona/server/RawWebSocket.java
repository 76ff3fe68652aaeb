package dev.magpie.daytona.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket client on a plain socket, for sending what well-behaved clients never send: unmasked frames, bad
 * lengths, nothing at all; and for not reading. Each read waits at most 20 s.
 */
final class RawWebSocket implements AutoCloseable {

    final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects with a small receive buffer (so that a client that does not read is felt soon). */
    static RawWebSocket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 20_000);
        socket.setSoTimeout(20_000);
        return new RawWebSocket(socket);
    }

    /** Sends the upgrade request for the path and returns the reply's status line. */
    String upgrade(String path, String... headers) throws IOException {
        StringBuilder head = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16]) + "\r\n");
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        send(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        return readHead().split("\r\n")[0];
    }

    String readHead() throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        while (!raw.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            raw.write(in.readUnsignedByte());
        }
        return raw.toString(StandardCharsets.ISO_8859_1);
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** A final text frame, masked as a client must unless {@code masked} is false. */
    void sendText(String text, boolean masked) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        frame.write((masked ? 0x80 : 0) | payload.length);
        byte[] mask = {1, 2, 3, 4};
        if (masked) {
            frame.write(mask, 0, 4);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
        }
        frame.write(payload, 0, payload.length);
        send(frame.toByteArray());
    }

    /** The next frame: its opcode, then its payload. */
    Frame read() throws IOException {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(first & 0x0F, payload);
    }

    /** The next text message, skipping pings. */
    String readText() throws IOException {
        Frame frame;
        while ((frame = read()).opcode != 1) {
            if (frame.opcode == 8) {
                throw new IOException("closed with " + frame.closeCode());
            }
        }
        return frame.text();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length < 2 ? -1 : (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
        }
    }
}
