package dev.totplogin.security;

import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoginThrottleTests {

	private final AuthenticationProperties.Lockout lockout = new AuthenticationProperties.Lockout(10, 5,
			Duration.ofMinutes(1), Duration.ofMinutes(15));

	private final LoginThrottle throttle = new LoginThrottle(null,
			new AuthenticationProperties(Duration.ofMinutes(5), Duration.ofHours(12),
					new AuthenticationProperties.Argon2(19456, 2, 1), this.lockout,
					new AuthenticationProperties.Hashing(0, 32, Duration.ofSeconds(2))),
			Clock.systemUTC());

	@Test
	void lockDurationWhenLocksRepeatThenDoublesUpToFifteenMinutes() {
		assertThat(this.throttle.lockDuration(0)).isEqualTo(Duration.ofMinutes(1));
		assertThat(this.throttle.lockDuration(1)).isEqualTo(Duration.ofMinutes(2));
		assertThat(this.throttle.lockDuration(2)).isEqualTo(Duration.ofMinutes(4));
		assertThat(this.throttle.lockDuration(3)).isEqualTo(Duration.ofMinutes(8));
		assertThat(this.throttle.lockDuration(4)).isEqualTo(Duration.ofMinutes(15));
		assertThat(this.throttle.lockDuration(100)).isEqualTo(Duration.ofMinutes(15));
	}

}
