package dev.totplogin.support;

import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The application's password encoder, counting the hashes it computes: tests compare
 * counts instead of times, so "this costs one hash, like that" holds on any machine
 * however slow or busy.
 */
public final class CountingPasswordEncoder implements PasswordEncoder {

	private final PasswordEncoder delegate;

	private final AtomicInteger hashes = new AtomicInteger();

	CountingPasswordEncoder(PasswordEncoder delegate) {
		this.delegate = delegate;
	}

	/** Hashes computed (encode or matches) since the application started. */
	public int hashes() {
		return this.hashes.get();
	}

	@Override
	public String encode(CharSequence rawPassword) {
		this.hashes.incrementAndGet();
		return this.delegate.encode(rawPassword);
	}

	@Override
	public boolean matches(CharSequence rawPassword, String encodedPassword) {
		this.hashes.incrementAndGet();
		return this.delegate.matches(rawPassword, encodedPassword);
	}

	@Override
	public boolean upgradeEncoding(String encodedPassword) {
		return this.delegate.upgradeEncoding(encodedPassword);
	}

	/** Wraps the application's encoder. */
	@TestConfiguration(proxyBeanMethods = false)
	public static class Configuration {

		@Bean
		static BeanPostProcessor countingPasswordEncoder() {
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					return (bean instanceof PasswordEncoder encoder && !(bean instanceof CountingPasswordEncoder))
							? new CountingPasswordEncoder(encoder) : bean;
				}
			};
		}

	}

}
