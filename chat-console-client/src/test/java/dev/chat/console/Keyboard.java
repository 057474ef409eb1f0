package dev.chat.console;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** Keys for a client under test: what {@link #type} puts in is read in order; {@link #close()} is end of input. */
final class Keyboard extends InputStream {

    private static final int END = -1;

    private final BlockingQueue<Integer> keys = new LinkedBlockingQueue<>();

    /** Types {@code text}; {@code \n} is Enter, {@code \t} Tab, {@code \u0003} Ctrl+C, {@code \u0004} Ctrl+D. */
    void type(String text) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            keys.add(b & 0xFF);
        }
    }

    @Override
    public int read() {
        try {
            int key = keys.take();
            if (key == END) {
                keys.add(END);
            }
            return key;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return END;
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        int first = read();
        if (first == END) {
            return END;
        }
        buffer[offset] = (byte) first;
        int n = 1;
        while (n < length) {
            Integer next = keys.peek();
            if (next == null || next == END) {
                break;
            }
            buffer[offset + n++] = (byte) (int) keys.poll();
        }
        return n;
    }

    @Override
    public int available() {
        return keys.size();
    }

    @Override
    public void close() {
        keys.add(END);
    }
}
