package dev.magpie.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.magpie.sandbox.OutputListener;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputCollectorTest {

    @Test
    void keepsEverythingWithinTheLimit() {
        OutputCollector collector = collector(10, OutputListener.NONE);
        feed(collector, "0123456789");
        assertThat(collector.truncated()).isFalse();
        assertThat(collector.text()).isEqualTo("0123456789");
    }

    @Test
    void keepsHeadAndTailAcrossManySmallWrites() {
        OutputCollector collector = collector(10, OutputListener.NONE);
        for (char c = 'a'; c <= 'z'; c++) {
            feed(collector, String.valueOf(c));
        }
        assertThat(collector.truncated()).isTrue();
        assertThat(collector.text()).isEqualTo("abcde\n[... 16 bytes truncated ...]\nvwxyz");
    }

    @Test
    void keepsHeadAndTailOfOneLargeWrite() {
        OutputCollector collector = collector(6, OutputListener.NONE);
        feed(collector, "abcdefghijklmnop");
        feed(collector, "q");
        assertThat(collector.text()).isEqualTo("abc\n[... 11 bytes truncated ...]\nopq");
    }

    @Test
    void cutsAtCharacterBoundaries() {
        OutputCollector collector = collector(8, OutputListener.NONE);
        feed(collector, "aaa€bbbbbbbb€cc"); // € is 3 bytes: the head ends inside it, the tail starts inside the next
        String text = collector.text();
        assertThat(text).startsWith("aaa\n[... ").endsWith("...]\ncc").doesNotContain("\uFFFD");
    }

    @Test
    void splitsLinesForTheListenerAcrossWritesAndFlushesTheLastOnClose() {
        List<String> lines = new ArrayList<>();
        OutputCollector collector = collector(4, (channel, line) -> lines.add(channel + ":" + line));
        feed(collector, "one\r\ntw");
        feed(collector, "o\n\nthree");
        assertThat(lines).containsExactly("STDERR:one", "STDERR:two", "STDERR:");
        collector.close();
        feed(collector, "ignored\n");
        assertThat(lines).containsExactly("STDERR:one", "STDERR:two", "STDERR:", "STDERR:three");
    }

    @Test
    void splitsOverlongLinesAndSurvivesAFailingListener() {
        List<Integer> lengths = new ArrayList<>();
        OutputCollector collector = collector(16, (channel, line) -> {
            lengths.add(line.length());
            throw new IllegalStateException("listener bug");
        });
        feed(collector, "x".repeat(OutputCollector.MAX_LINE * 2 + 5) + "\n");
        assertThat(lengths).containsExactly(OutputCollector.MAX_LINE, OutputCollector.MAX_LINE, 5);
        assertThat(collector.truncated()).isTrue();
    }

    private static OutputCollector collector(int limit, OutputListener listener) {
        return new OutputCollector(limit, OutputListener.Channel.STDERR, listener);
    }

    private static void feed(OutputCollector collector, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        collector.append(bytes, 0, bytes.length);
    }
}
