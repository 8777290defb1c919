package dev.totplogin.totp;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.totplogin.crypto.SecretCipher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-login work besides the password hash: checking a TOTP code over the ±1 window, drawing the enrollment
 * QR code, encrypting and decrypting a secret, checking a recovery code's keyed hashes. In this package so that it
 * measures the application's own (package-private) classes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TotpMicrobenchmarks {

	private final Clock clock = Clock.systemUTC();

	private TotpCodes codes;

	private QrCodeRenderer qrCodes;

	private SecretCipher cipher;

	private String secret;

	private String stored;

	@Setup
	public void setUp() {
		this.codes = new TotpCodes(this.clock);
		this.qrCodes = new QrCodeRenderer();
		this.cipher = new SecretCipher("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII),
				List.of());
		this.secret = this.codes.newSecret();
		this.stored = this.cipher.encrypt(this.secret, "totp:1");
	}

	/** A wrong code: every step of the window is computed and compared, the worst case. */
	@Benchmark
	public Object totpVerifyWindow() {
		return this.codes.matchingStep(this.secret, "000000");
	}

	@Benchmark
	public byte[] otpauthUriAndQrPng() {
		return this.qrCodes.png(OtpAuthUri.of("TOTP Login", "alice.smith@example.org", this.secret));
	}

	@Benchmark
	public String secretEncryptDecrypt() {
		return this.cipher.decrypt(this.cipher.encrypt(this.secret, "totp:1"), "totp:1");
	}

	@Benchmark
	public String secretDecrypt() {
		return this.cipher.decrypt(this.stored, "totp:1");
	}

	/** What a recovery-code check costs besides its one indexed UPDATE: normalising and the keyed hash. */
	@Benchmark
	public Object recoveryCodeHashes() {
		return this.cipher.keyedHashes("x4k9mq7tnp");
	}

}
