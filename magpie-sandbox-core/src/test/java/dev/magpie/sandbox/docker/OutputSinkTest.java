package dev.magpie.sandbox.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.sandbox.OutputListener;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutputSinkTest {

    @Test
    void keepsEverythingUpToTheLimit() {
        OutputSink sink = new OutputSink(10, OutputListener.Channel.STDOUT, OutputListener.NONE);
        sink.write(bytes("0123"));
        sink.write(bytes("456789"));

        assertThat(sink.text()).isEqualTo("0123456789");
        assertThat(sink.truncated()).isFalse();
    }

    @Test
    void keepsTheHeadAndTheTailWhateverTheChunking() {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            all.append((char) ('a' + i % 26));
        }
        Random random = new Random(42);
        for (int limit : new int[] {2, 3, 10, 101, 4999}) {
            OutputSink sink = new OutputSink(limit, OutputListener.Channel.STDOUT, OutputListener.NONE);
            byte[] input = bytes(all.toString());
            for (int at = 0; at < input.length; ) {
                int n = Math.min(input.length - at, 1 + random.nextInt(3 * limit));
                sink.write(Arrays.copyOfRange(input, at, at + n));
                at += n;
            }
            int head = limit / 2;
            String expected = all.substring(0, head) + "\n[... " + (5000 - limit) + " bytes omitted ...]\n"
                    + all.substring(5000 - (limit - head));
            assertThat(sink.text()).as("limit %d", limit).isEqualTo(expected);
            assertThat(sink.truncated()).isTrue();
        }
    }

    @Test
    void handsCompleteLinesToTheListenerAcrossChunks() {
        List<String> lines = new ArrayList<>();
        OutputSink sink = new OutputSink(4, OutputListener.Channel.STDERR, (channel, line) -> lines.add(line));
        sink.write(bytes("one\ntw"));
        sink.write(bytes("o\r\nthr"));
        sink.write(bytes("ee"));
        sink.finish();

        assertThat(lines).containsExactly("one", "two", "three");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
