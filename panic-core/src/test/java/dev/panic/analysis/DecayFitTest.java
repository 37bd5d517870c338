package dev.panic.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DecayFitTest {

    @Test
    void should_recover_amplitude_rate_and_floor_from_a_noisy_curve() {
        // given: y = 0.6 exp(-0.15 x) + 0.3 plus noise of 0.005, x = 0..100
        Random r = new Random(1);
        double[] x = new double[101];
        double[] y = new double[101];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
            y[i] = 0.6 * Math.exp(-0.15 * i) + 0.3 + 0.005 * r.nextGaussian();
        }

        // when
        DecayFit fit = DecayFit.fit(x, y);

        // then
        assertThat(fit.amplitude()).isCloseTo(0.6, within(0.02));
        assertThat(fit.rate()).isCloseTo(0.15, within(0.01));
        assertThat(fit.floor()).isCloseTo(0.3, within(0.005));
        assertThat(fit.rmse()).isCloseTo(0.005, within(0.002));
        assertThat(fit.points()).isEqualTo(101);
        assertThat(fit.halfLife()).isCloseTo(Math.log(2) / 0.15, within(0.5));
    }

    @Test
    void should_fit_an_exact_curve_exactly_at_uneven_steps() {
        // given: unevenly spaced x starting away from 0, no noise
        double[] x = {3, 3.5, 4, 6, 7.25, 9, 12, 15, 21, 30};
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 0.8 * Math.exp(-0.3 * x[i]) + 0.1;
        }

        // when
        DecayFit fit = DecayFit.fit(x, y);

        // then
        assertThat(fit.amplitude()).isCloseTo(0.8, within(1e-6));
        assertThat(fit.rate()).isCloseTo(0.3, within(1e-6));
        assertThat(fit.floor()).isCloseTo(0.1, within(1e-6));
        assertThat(fit.valueAt(5)).isCloseTo(0.8 * Math.exp(-1.5) + 0.1, within(1e-6));
    }

    @Test
    void should_fit_several_points_per_step_and_a_rising_curve() {
        // given: two series per step (as two models of one modality give), rising to 0.9
        double[] x = new double[80];
        double[] y = new double[80];
        for (int i = 0; i < 40; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = i;
            double v = 0.9 - 0.5 * Math.exp(-0.4 * i);
            y[2 * i] = v + 0.01;
            y[2 * i + 1] = v - 0.01;
        }

        // when
        DecayFit fit = DecayFit.fit(x, y);

        // then
        assertThat(fit.amplitude()).isCloseTo(-0.5, within(1e-4));
        assertThat(fit.rate()).isCloseTo(0.4, within(1e-4));
        assertThat(fit.floor()).isCloseTo(0.9, within(1e-4));
        assertThat(fit.rmse()).isCloseTo(0.01, within(1e-4));
    }

    @Test
    void should_give_the_constant_fit_for_a_flat_curve() {
        // given
        double[] x = {0, 1, 2, 3, 4, 5};
        double[] y = {0.7, 0.7, 0.7, 0.7, 0.7, 0.7};

        // when
        DecayFit fit = DecayFit.fit(x, y);

        // then
        assertThat(fit.amplitude()).isZero();
        assertThat(fit.rate()).isZero();
        assertThat(fit.floor()).isCloseTo(0.7, within(1e-12));
        assertThat(fit.rmse()).isCloseTo(0, within(1e-12));
        assertThat(fit.points()).isEqualTo(6);
        assertThat(fit.halfLife()).isInfinite();
    }

    @Test
    void should_give_the_constant_fit_when_there_are_too_few_steps_and_skip_missing_values() {
        // given: two distinct steps once the NaN is skipped
        double[] x = {0, 1, 1, 2};
        double[] y = {1.0, 0.5, 0.7, Double.NaN};

        // when
        DecayFit fit = DecayFit.fit(x, y);

        // then
        assertThat(fit.amplitude()).isZero();
        assertThat(fit.rate()).isZero();
        assertThat(fit.floor()).isCloseTo(2.2 / 3, within(1e-12));
        assertThat(fit.points()).isEqualTo(3);
        assertThat(DecayFit.fit(new double[0], new double[0]).floor()).isNaN();
    }
}
