package dev.totplogin.lockout;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LockoutPropertiesTests {

	private final LockoutProperties lockout = new LockoutProperties(10, 5, Duration.ofMinutes(1),
			Duration.ofMinutes(15));

	@Test
	void lockDurationWhenLocksRepeatThenDoublesUpToFifteenMinutes() {
		assertThat(this.lockout.lockDuration(0)).isEqualTo(Duration.ofMinutes(1));
		assertThat(this.lockout.lockDuration(1)).isEqualTo(Duration.ofMinutes(2));
		assertThat(this.lockout.lockDuration(2)).isEqualTo(Duration.ofMinutes(4));
		assertThat(this.lockout.lockDuration(3)).isEqualTo(Duration.ofMinutes(8));
		assertThat(this.lockout.lockDuration(4)).isEqualTo(Duration.ofMinutes(15));
		assertThat(this.lockout.lockDuration(100)).isEqualTo(Duration.ofMinutes(15));
	}

	@Test
	void thresholdWhenAskedPerFactorThenPasswordsAndCodesHaveTheirOwn() {
		assertThat(this.lockout.threshold(Budget.PASSWORD)).isEqualTo(10);
		assertThat(this.lockout.threshold(Budget.SECOND_FACTOR)).isEqualTo(5);
	}

}
