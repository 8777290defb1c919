package dev.totplogin.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.openjdk.jmh.results.RunResult;

/** docs/benchmarks.md: every figure of the run, each against its target where the project set one. */
final class Report {

	void write(Path docs, int cores, double hashMs, double hashCpuMs, double limit, List<LoadDriver.Result> results,
			Map<Integer, List<Double>> cpuPerLogin, double[] plainStart, double[] cdsStart, long rssWarm, long rssAfter,
			int totalLogins, double[] smallP50, double[] largeP50, Collection<RunResult> jmh, String lastError)
			throws IOException {
		StringBuilder md = new StringBuilder();
		int best = 0;
		double bestRate = 0;
		for (int concurrency : concurrencies(results)) {
			double rate = BenchmarkRun.medianOf(results, concurrency, LoadDriver.Result::loginsPerSecond);
			if (rate > bestRate) {
				bestRate = rate;
				best = concurrency;
			}
		}
		double cpuRatioAtBest = median(cpuPerLogin.get(best)) * 1000 / hashCpuMs;
		int errors = results.stream().mapToInt(LoadDriver.Result::errors).sum();
		double growthRatio = BenchmarkRun.median(largeP50) / BenchmarkRun.median(smallP50);
		double totpMicros = score(jmh, "totpVerifyWindow");
		double qrMillis = score(jmh, "otpauthUriAndQrPng") / 1000;
		double cdsMillis = BenchmarkRun.median(cdsStart);

		md.append("# Benchmarks\n\n")
			.append(String.format(Locale.ROOT,
					"One run of `bench/run.sh` on %s: %d cores, Java %s, Argon2id m=19456 KiB t=2 p=1. "
							+ "Every figure is the median of %d runs made side by side in this one run.%n%n",
					LocalDate.now(), cores, System.getProperty("java.version"), 5))
			.append("![logins per second against concurrency](benchmarks-throughput.png)\n\n")
			.append("## Against the targets\n\n| figure | target | measured | |\n|---|---|---|---|\n");
		row(md, "efficiency at the best concurrency (" + best + " users)", "≥ 0.90",
				fmt(bestRate / limit, 2) + " (" + fmt(bestRate, 1) + " ÷ " + fmt(limit, 1) + " logins/s)",
				bestRate / limit >= 0.90);
		row(md, "server CPU per login ÷ CPU per password hash", "≤ 1.10", fmt(cpuRatioAtBest, 2),
				cpuRatioAtBest <= 1.10);
		row(md, "TOTP verify (±1 window), JMH", "≤ 10 µs", fmt(totpMicros, 2) + " µs", totpMicros <= 10);
		row(md, "QR PNG render (with the otpauth URI)", "≤ 5 ms", fmt(qrMillis, 2) + " ms", qrMillis <= 5);
		row(md, "login p50 at 1M accounts ÷ at 1k", "≤ 1.2", fmt(growthRatio, 2), growthRatio <= 1.2);
		row(md, "start-up to first 200, CDS", "≤ 3 s", fmt(cdsMillis / 1000, 2) + " s", cdsMillis <= 3000);
		row(md, "errors under load", "0", Integer.toString(errors), errors == 0);
		if (errors > 0 && lastError != null) {
			md.append("\nLast error seen: `").append(lastError).append("`\n");
		}

		md.append(String.format(Locale.ROOT, "%n## The hash-bound limit%n%nOne password check with the configured "
				+ "encoder: **%.1f ms** of wall time (median of 5 × 10 checks, one thread), **%.1f ms** of process "
				+ "CPU time (the garbage collection of its 19 MiB included). Limit = %d cores ÷ %.1f ms = "
				+ "**%.1f logins/s**. CPU per login is compared with the CPU per hash.%n%n", hashMs, hashCpuMs, cores,
				hashMs, limit));

		md.append("## Full logins per concurrency\n\n")
			.append("GET /login, POST /login, GET /verify-2fa, POST /verify-2fa, GET / per login; 5 s per run.\n\n")
			.append("| users | logins/s | efficiency | CPU per login | ÷ CPU per hash | errors |")
			.append(" POST /login p50/p95/p99 | POST /verify-2fa p50/p95/p99 | GET pages p99 |\n")
			.append("|---|---|---|---|---|---|---|---|---|\n");
		for (int concurrency : concurrencies(results)) {
			double rate = BenchmarkRun.medianOf(results, concurrency, LoadDriver.Result::loginsPerSecond);
			double cpuMs = median(cpuPerLogin.get(concurrency)) * 1000;
			int runErrors = results.stream().filter((r) -> r.concurrency() == concurrency)
				.mapToInt(LoadDriver.Result::errors).sum();
			md.append(String.format(Locale.ROOT, "| %d | %.1f | %.2f | %.1f ms | %.2f | %d | %s | %s | %s |%n",
					concurrency, rate, rate / limit, cpuMs, cpuMs / hashCpuMs, runErrors,
					percentiles(results, concurrency, 1), percentiles(results, concurrency, 3),
					String.format(Locale.ROOT, "%.0f / %.0f / %.0f ms", p(results, concurrency, 0, 99),
							p(results, concurrency, 2, 99), p(results, concurrency, 4, 99))));
		}

		md.append(String.format(Locale.ROOT, "%n## Start-up and memory%n%n| figure | value |%n|---|---|%n"
				+ "| `java -jar` to the first 200 on /login, plain jar | %.2f s |%n"
				+ "| the same with a CDS archive | %.2f s |%n"
				+ "| RSS after warm-up | %d MiB |%n| RSS after %,d logins | %d MiB |%n",
				BenchmarkRun.median(plainStart) / 1000, cdsMillis / 1000, rssWarm, totalLogins, rssAfter));

		md.append(String.format(Locale.ROOT, "%n## Growth%n%nLogin time (the whole five-request login, one user at "
				+ "a time), median of 5 runs: **%.1f ms** with 1,000 accounts, **%.1f ms** with 1,000,000 "
				+ "(ratio %.2f). The accounts were seeded with one copied hash.%n",
				BenchmarkRun.median(smallP50), BenchmarkRun.median(largeP50), growthRatio));

		md.append("\n## JMH microbenchmarks\n\n| benchmark | µs per operation | ± (99.9%) |\n|---|---|---|\n");
		for (RunResult result : jmh) {
			String name = result.getParams().getBenchmark();
			md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f |%n", name.substring(name.lastIndexOf('.') + 1),
					result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreError()));
		}
		Files.createDirectories(docs);
		Files.writeString(docs.resolve("benchmarks.md"), md.toString());
	}

	private static List<Integer> concurrencies(List<LoadDriver.Result> results) {
		return results.stream().map(LoadDriver.Result::concurrency).distinct().sorted().toList();
	}

	private static String percentiles(List<LoadDriver.Result> results, int concurrency, int step) {
		return String.format(Locale.ROOT, "%.0f / %.0f / %.0f ms", p(results, concurrency, step, 50),
				p(results, concurrency, step, 95), p(results, concurrency, step, 99));
	}

	private static double p(List<LoadDriver.Result> results, int concurrency, int step, double percentile) {
		return BenchmarkRun.medianOf(results, concurrency, (r) -> r.percentileMillis(step, percentile));
	}

	private static double median(List<Double> values) {
		return BenchmarkRun.median(values.stream().mapToDouble(Double::doubleValue).toArray());
	}

	private static double score(Collection<RunResult> jmh, String benchmark) {
		return jmh.stream()
			.filter((r) -> r.getParams().getBenchmark().endsWith("." + benchmark))
			.findFirst()
			.orElseThrow()
			.getPrimaryResult()
			.getScore();
	}

	private static void row(StringBuilder md, String figure, String target, String measured, boolean met) {
		md.append("| ").append(figure).append(" | ").append(target).append(" | ").append(measured).append(" | ")
			.append(met ? "met" : "**missed**").append(" |\n");
	}

	private static String fmt(double value, int decimals) {
		return String.format(Locale.ROOT, "%." + decimals + "f", value);
	}

}
