package dev.chat.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LatencyHistogramTest {

    @Test
    void percentiles_areExactToTheMicrosecondBelow100MsAndToTheMillisecondAbove() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int i = 1; i <= 1000; i++) {
            histogram.record(i * 10_000L); // 10 µs … 10 ms
        }
        LatencyHistogram slow = new LatencyHistogram();
        slow.record(2_500_000_000L); // 2.5 s
        histogram.add(slow);

        assertThat(histogram.count()).isEqualTo(1001);
        assertThat(histogram.percentileMillis(0.5)).isCloseTo(5.01, within(0.002));
        assertThat(histogram.percentileMillis(0.99)).isCloseTo(9.92, within(0.02));
        assertThat(histogram.percentileMillis(1.0)).isCloseTo(2500, within(1.0));
        assertThat(histogram.maxMillis()).isEqualTo(2500.0);
    }

    @Test
    void emptyHistogram_saysZero() {
        assertThat(new LatencyHistogram().percentileMillis(0.99)).isZero();
    }
}
