package dev.panic.embeddings.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FftTest {

    @Test
    void should_agree_with_the_textbook_dft() {
        // given
        int n = 64;
        SplittableRandom random = new SplittableRandom(7);
        double[] re = new double[n];
        double[] im = new double[n];
        for (int i = 0; i < n; i++) {
            re[i] = random.nextDouble(-1, 1);
            im[i] = random.nextDouble(-1, 1);
        }
        double[] expectedRe = new double[n];
        double[] expectedIm = new double[n];
        for (int k = 0; k < n; k++) {
            for (int t = 0; t < n; t++) {
                double a = -2 * Math.PI * k * t / n;
                expectedRe[k] += re[t] * Math.cos(a) - im[t] * Math.sin(a);
                expectedIm[k] += re[t] * Math.sin(a) + im[t] * Math.cos(a);
            }
        }

        // when
        new Fft(n).transform(re, im);

        // then
        for (int k = 0; k < n; k++) {
            assertThat(re[k]).as("re[%d]", k).isCloseTo(expectedRe[k], within(1e-9));
            assertThat(im[k]).as("im[%d]", k).isCloseTo(expectedIm[k], within(1e-9));
        }
    }

    @Test
    void should_put_a_pure_tone_in_its_bin() {
        // given
        int n = 256;
        double[] re = new double[n];
        double[] im = new double[n];
        for (int t = 0; t < n; t++) {
            re[t] = Math.cos(2 * Math.PI * 10 * t / n);
        }

        // when
        new Fft(n).transform(re, im);

        // then
        assertThat(Math.hypot(re[10], im[10])).isCloseTo(n / 2.0, within(1e-9));
        assertThat(Math.hypot(re[11], im[11])).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void should_refuse_sizes_that_are_not_powers_of_two() {
        // when / then
        assertThatThrownBy(() -> new Fft(48)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("48");
    }
}
