package dev.totplogin.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

import org.openjdk.jmh.results.RunResult;

/** docs/benchmarks.md: every figure of the run, each against its target where the project set one. */
final class Report {

	private final int cores;

	private final List<BenchmarkRun.LoadRun> runs;

	private final List<BenchmarkRun.LoadRun> javaRuns;

	private final BenchmarkRun.Startup startup;

	private final long rssWarm;

	private final long rssAfter;

	private final long javaRssAfter;

	private final int totalLogins;

	private final double[] smallP50;

	private final double[] largeP50;

	private final Collection<RunResult> jmh;

	private final String lastError;

	private final BenchmarkRun.WarmUp warmUp;

	private final BenchmarkRun.WarmUp javaWarmUp;

	/** Keycloak's side, or null when the run left it out. */
	private final BenchmarkRun.KeycloakSide keycloak;

	Report(int cores, List<BenchmarkRun.LoadRun> runs, List<BenchmarkRun.LoadRun> javaRuns,
			BenchmarkRun.Startup startup, BenchmarkRun.WarmUp warmUp, BenchmarkRun.WarmUp javaWarmUp, long rssWarm,
			long rssAfter, long javaRssAfter, int totalLogins, double[] smallP50, double[] largeP50,
			Collection<RunResult> jmh, String lastError, BenchmarkRun.KeycloakSide keycloak) {
		this.cores = cores;
		this.keycloak = keycloak;
		this.warmUp = warmUp;
		this.javaWarmUp = javaWarmUp;
		this.runs = runs;
		this.javaRuns = javaRuns;
		this.startup = startup;
		this.rssWarm = rssWarm;
		this.rssAfter = rssAfter;
		this.javaRssAfter = javaRssAfter;
		this.totalLogins = totalLogins;
		this.smallP50 = smallP50;
		this.largeP50 = largeP50;
		this.jmh = jmh;
		this.lastError = lastError;
	}

	void write(Path docs) throws IOException {
		StringBuilder md = new StringBuilder();
		int best = 0;
		double bestRate = 0;
		for (int concurrency : BenchmarkRun.CONCURRENCY) {
			double rate = median(concurrency, (r) -> r.result().loginsPerSecond());
			if (rate > bestRate) {
				bestRate = rate;
				best = concurrency;
			}
		}
		double efficiency = median(best, (r) -> r.efficiency(this.cores));
		double worstCpuRatio = Arrays.stream(BenchmarkRun.CONCURRENCY)
			.mapToDouble((concurrency) -> median(concurrency, BenchmarkRun.LoadRun::cpuRatio))
			.max()
			.orElseThrow();
		double worstCpuRatioWithoutJit = Arrays.stream(BenchmarkRun.CONCURRENCY)
			.mapToDouble((concurrency) -> median(concurrency, BenchmarkRun.LoadRun::cpuRatioWithoutJit))
			.max()
			.orElseThrow();
		int javaBest = 0;
		double javaBestRate = 0;
		for (int concurrency : BenchmarkRun.JAVA_CONCURRENCY) {
			double rate = BenchmarkRun.medianOf(this.javaRuns, concurrency, (r) -> r.result().loginsPerSecond());
			if (rate > javaBestRate) {
				javaBestRate = rate;
				javaBest = concurrency;
			}
		}
		double nativeCheckCpu = BenchmarkRun.median(this.runs.stream().mapToDouble((r) -> r.hash().cpuMs()).toArray());
		double javaCheckCpu = BenchmarkRun
			.median(this.javaRuns.stream().mapToDouble((r) -> r.hash().cpuMs()).toArray());
		double checkRatio = nativeCheckCpu / javaCheckCpu;
		double freshSpread = max(this.startup.freshNativeCheckCpu()) / min(this.startup.freshNativeCheckCpu());
		double[] againstReference = this.startup.freshNativeAgainstReference();
		double freshSpreadAgainstReference = max(againstReference) / min(againstReference);
		double freshJavaSpread = max(this.startup.freshJavaCheckCpu()) / min(this.startup.freshJavaCheckCpu());
		double freshCheckRatio = BenchmarkRun.median(this.startup.freshNativeCheckCpu())
				/ BenchmarkRun.median(this.startup.freshJavaCheckCpu());
		double plainMillis = BenchmarkRun.median(this.startup.plain());
		int errors = this.runs.stream().mapToInt((r) -> r.result().errors()).sum()
				+ this.javaRuns.stream().mapToInt((r) -> r.result().errors()).sum()
				+ ((this.keycloak != null) ? this.keycloak.runs().stream().mapToInt((r) -> r.result().errors()).sum() : 0);
		double growthRatio = BenchmarkRun.median(this.largeP50) / BenchmarkRun.median(this.smallP50);
		double totpMicros = this.jmh.isEmpty() ? Double.NaN : score("totpVerifyWindow");
		double qrMillis = this.jmh.isEmpty() ? Double.NaN : score("otpauthUriAndQrPng") / 1000;
		double cdsMillis = BenchmarkRun.median(this.startup.cds());
		double cdsSpringAotMillis = BenchmarkRun.median(this.startup.cdsSpringAot());
		double[] hashWall = this.runs.stream().mapToDouble((r) -> r.hash().wallMs()).toArray();
		double[] hashCpu = this.runs.stream().mapToDouble((r) -> r.hash().cpuMs()).toArray();
		double[] inThisJvm = this.runs.stream().mapToDouble((r) -> r.hashInThisJvm().cpuMs()).toArray();

		md.append("# Benchmarks\n\n")
			.append(String.format(Locale.ROOT,
					"One run of `bench/run.sh` on %s: %d cores (%s), Java %s, Argon2id m=19456 KiB t=2 p=1. Every "
							+ "figure is the median of %d runs made side by side in this one run; every ratio is taken "
							+ "between figures measured next to each other (the hash is timed inside the server just before "
							+ "and just after each load run).%n%n",
					LocalDate.now(), this.cores, cpuModel(), System.getProperty("java.version"), BenchmarkRun.RUNS))
			.append("![logins per second against concurrency](benchmarks-throughput.png)\n\n")
			.append("## Against the targets\n\n| figure | target | measured | |\n|---|---|---|---|\n");
		keycloakTargets(md);
		ourTargets(md);
		if (!this.javaRuns.isEmpty()) {
		row(md, "in-server CPU per check, native ÷ Bouncy Castle, the load servers", "≤ 0.70",
				fmt(checkRatio, 2) + " (" + fmt(nativeCheckCpu, 1) + " ÷ " + fmt(javaCheckCpu, 1) + " ms)",
				checkRatio <= 0.70);
		}
		if (this.startup.freshJavaCheckCpu().length > 0) {
		row(md, "the same in freshly started servers, medians", "≤ 0.70",
				fmt(freshCheckRatio, 2) + " (" + fmt(BenchmarkRun.median(this.startup.freshNativeCheckCpu()), 1) + " ÷ "
						+ fmt(BenchmarkRun.median(this.startup.freshJavaCheckCpu()), 1) + " ms)",
				freshCheckRatio <= 0.70);
		}
		row(md, "server CPU per full login ÷ CPU per check (native), worst level", "≤ 1.15", fmt(worstCpuRatio, 2),
				worstCpuRatio <= 1.15);
		row(md, "the same without the JIT's compiler threads (once-per-JVM work), worst level", "≤ 1.15",
				fmt(worstCpuRatioWithoutJit, 2), worstCpuRatioWithoutJit <= 1.15);
		if (this.startup.freshNativeCheckCpu().length > 0) {
		row(md, "check's CPU in " + BenchmarkRun.FRESH_SERVERS + " fresh servers, each ÷ the same check in the "
				+ "benchmark's JVM timed around it, max ÷ min (native)", "≤ 1.3",
				fmt(freshSpreadAgainstReference, 2) + " (the raw figures: " + fmt(freshSpread, 2) + "; Bouncy Castle's: "
						+ fmt(freshJavaSpread, 2) + ")",
				freshSpreadAgainstReference <= 1.3);
		}
		if (!this.javaRuns.isEmpty()) {
		md.append(String.format(Locale.ROOT,
				"| logins/s at the best concurrency, native ÷ Bouncy Castle | (reported) | %.2f (%.1f at %d users ÷ "
						+ "%.1f at %d; driver CPU per login %.1f / %.1f ms) | |%n",
				bestRate / javaBestRate, bestRate, best, javaBestRate, javaBest,
				median(best, BenchmarkRun.LoadRun::driverCpuMs),
				BenchmarkRun.medianOf(this.javaRuns, javaBest, BenchmarkRun.LoadRun::driverCpuMs)));
		}
		row(md, "efficiency at the best concurrency (" + best + " users)", "≥ 0.90",
				fmt(efficiency, 2) + " (" + fmt(bestRate, 1) + " logins/s)", efficiency >= 0.90);
		if (this.startup.plain().length > 0) {
			md.append("| plain `java -jar` to the first 200 on /login (Java 17, no option), median of "
					+ this.startup.plain().length + " | (reported: the 10-s target is withdrawn) | "
					+ fmt(plainMillis / 1000, 2) + " s | |\n");
		}
		if (!this.jmh.isEmpty()) {
			row(md, "TOTP verify (±1 window), JMH", "≤ 10 µs", fmt(totpMicros, 2) + " µs", totpMicros <= 10);
			row(md, "QR PNG render (with the otpauth URI)", "≤ 5 ms", fmt(qrMillis, 2) + " ms", qrMillis <= 5);
		}
		if (this.smallP50.length > 0) {
			row(md, "login p50 at 1M accounts ÷ at 1k", "≤ 1.2", fmt(growthRatio, 2), growthRatio <= 1.2);
		}
		if (this.startup.cdsSpringAot().length > 0) {
			md.append("| start-up to first 200, CDS + Spring AOT (Java 17) | (reported: the 3-s target is withdrawn) | "
					+ fmt(cdsSpringAotMillis / 1000, 2) + " s | |\n");
		}
		row(md, "errors under load (ours" + ((this.keycloak != null) ? " and Keycloak's" : "") + ")", "0",
				Integer.toString(errors), errors == 0);
		benchLength().ifPresent((minutes) -> row(md, "`bench/run.sh`, build included", "≤ 15 min",
				fmt(minutes, 1) + " min", minutes <= 15));
		if (errors > 0 && this.lastError != null) {
			md.append("\nLast error seen: `").append(this.lastError).append("`\n");
		}

		md.append(String.format(Locale.ROOT, "%n## The hash-bound limit%n%nThe password check (Argon2id with the "
				+ "application's parameters, by libargon2 through argon2-jvm as the server runs it) timed inside the server process "
				+ "by a Java agent (`HashProbeAgent`), %d threads checking at once, %d checks each, just before and just "
				+ "after each of the %d load runs: **%.1f ms** of wall time per check (%.1f–%.1f over the run), **%.1f "
				+ "ms** of the server's CPU time per check (the garbage collection of its 19 MiB included). Limit = %d "
				+ "cores ÷ %.1f ms = **%.1f logins/s**; each run's efficiency and CPU ratio are taken against the hash "
				+ "timed around it.%n%nFor comparison, the Bouncy Castle check (the fallback) timed on one thread in the "
				+ "benchmark's own JVM: a median %.1f ms of CPU (%.1f–%.1f); its JIT-compiled code runs at one of two "
				+ "speeds about 1.8× apart from one JVM to the next (docs/benchmarks-argon2.md).%n%n",
				this.cores, BenchmarkRun.HASH_CHECKS, this.runs.size(), BenchmarkRun.median(hashWall), min(hashWall),
				max(hashWall), BenchmarkRun.median(hashCpu), this.cores, BenchmarkRun.median(hashWall),
				this.cores / (BenchmarkRun.median(hashWall) / 1000), BenchmarkRun.median(inThisJvm), min(inThisJvm),
				max(inThisJvm)));
		if (!this.javaRuns.isEmpty()) {
			md.append("Side by side, the same probe in a server hashing with Bouncy Castle "
					+ "(`app.security.argon2.implementation=java`), up at the same time, its runs alternating with the "
					+ "native server's: **" + fmt(javaCheckCpu, 1) + " ms** of CPU per check (native: "
					+ fmt(nativeCheckCpu, 1) + " ms, ratio " + fmt(checkRatio, 2) + ").\n\n");
		}
		if (this.startup.freshNativeCheckCpu().length > 0) {
			md.append("In freshly started servers (the same probe once the server is quiet after its first 200, under 5 % "
					+ "of a core for half a second, one thread, 8 checks), the checking thread's own CPU per check (the "
					+ "hash code's speed in that JVM, not what the rest of the server is still doing after start-up): "
					+ "native, " + this.startup.freshNativeCheckCpu().length + " servers, "
					+ list(this.startup.freshNativeCheckCpu()) + " ms (max ÷ min " + fmt(freshSpread, 2)
					+ "), against the same check in the benchmark's own JVM (one thread, 8 checks just before and 8 just "
					+ "after each): " + list(this.startup.referenceCheckCpu()) + " ms, ratios "
					+ String.join(", ", Arrays.stream(againstReference).mapToObj((ratio) -> fmt(ratio, 2)).toList())
					+ " (max ÷ min " + fmt(freshSpreadAgainstReference, 2) + ")");
			if (this.startup.freshJavaCheckCpu().length > 0) {
				md.append("; Bouncy Castle, " + this.startup.freshJavaCheckCpu().length + " servers, "
						+ list(this.startup.freshJavaCheckCpu()) + " ms (max ÷ min " + fmt(freshJavaSpread, 2) + ")");
			}
			md.append(".\n\n");
		}

		md.append("## Full logins per concurrency\n\n")
			.append(String.format(Locale.ROOT, "GET /login, POST /login, GET /verify-2fa, POST /verify-2fa, GET / per "
					+ "login; %d s per run. The server runs the jar with no JVM option (the JIT's defaults, C1 and C2), "
					+ "warmed up at 8 users in %d-s chunks until its JIT compiler threads took under %.1f ms of CPU per "
					+ "login, or for %d s at most%s: **%,d logins** in %d s (last chunk %.1f ms)%s. Server CPU from "
					+ "`/proc/<pid>/task/*/stat`, per login: all threads, and of it the JIT compiler threads and the GC "
					+ "threads; without the hash: less the server's CPU per check timed around the run. Driver: the load "
					+ "driver's own CPU per login (same machine, same cores).%n%n", BenchmarkRun.RUN_TIME.toSeconds(),
					BenchmarkRun.WARM_UP_CHUNK.toSeconds(), BenchmarkRun.SETTLED_JIT_MS,
					BenchmarkRun.WARM_UP_LIMIT.toSeconds(),
					(this.keycloak != null) ? " and while Keycloak was still warming up, at the same time" : "",
					this.warmUp.logins(),
					this.warmUp.seconds(), this.warmUp.jitMs(),
					this.javaRuns.isEmpty() ? ""
							: String.format(Locale.ROOT, "; the Bouncy Castle server after it, %d s at most: %,d in %d s "
									+ "(%.1f ms)", BenchmarkRun.JAVA_WARM_UP_LIMIT.toSeconds(), this.javaWarmUp.logins(),
									this.javaWarmUp.seconds(), this.javaWarmUp.jitMs())))
			.append("| users | logins/s | limit | efficiency | server CPU | of it JIT | of it GC | without the hash |")
			.append(" ÷ CPU per hash | the same without JIT | driver CPU | errors | POST /login p50/p95/p99 |")
			.append(" POST /verify-2fa p50/p95/p99 | GET pages p99 |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (int concurrency : BenchmarkRun.CONCURRENCY) {
			int runErrors = this.runs.stream()
				.filter((r) -> r.concurrency() == concurrency)
				.mapToInt((r) -> r.result().errors())
				.sum();
			md.append(String.format(Locale.ROOT,
					"| %d | %.1f | %.1f | %.2f | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.2f | %.2f | %.1f ms | %d | %s | %s | %s |%n",
					concurrency, median(concurrency, (r) -> r.result().loginsPerSecond()),
					median(concurrency, (r) -> this.cores / (r.hash().wallMs() / 1000)),
					median(concurrency, (r) -> r.efficiency(this.cores)),
					median(concurrency, BenchmarkRun.LoadRun::serverCpuMs),
					median(concurrency, BenchmarkRun.LoadRun::jitCpuMs),
					median(concurrency, BenchmarkRun.LoadRun::gcCpuMs),
					median(concurrency, BenchmarkRun.LoadRun::nonHashCpuMs),
					median(concurrency, BenchmarkRun.LoadRun::cpuRatio),
					median(concurrency, BenchmarkRun.LoadRun::cpuRatioWithoutJit),
					median(concurrency, BenchmarkRun.LoadRun::driverCpuMs), runErrors, percentiles(concurrency, 1),
					percentiles(concurrency, 3),
					String.format(Locale.ROOT, "%.0f / %.0f / %.0f ms", p(concurrency, 0, 99), p(concurrency, 2, 99),
							p(concurrency, 4, 99))));
		}
		if (!this.javaRuns.isEmpty()) {
		md.append("\nThe Bouncy Castle server, its runs alternating with those above:\n\n")
			.append("| users | logins/s | server CPU | of it GC | ÷ CPU per hash | driver CPU | errors | "
					+ "POST /login p50/p95/p99 |\n|---|---|---|---|---|---|---|---|\n");
		for (int concurrency : BenchmarkRun.JAVA_CONCURRENCY) {
			ToDoubleFunction<ToDoubleFunction<BenchmarkRun.LoadRun>> javaMedian = (figure) -> BenchmarkRun
				.medianOf(this.javaRuns, concurrency, figure);
			int runErrors = this.javaRuns.stream()
				.filter((r) -> r.concurrency() == concurrency)
				.mapToInt((r) -> r.result().errors())
				.sum();
			md.append(String.format(Locale.ROOT, "| %d | %.1f | %.1f ms | %.1f ms | %.2f | %.1f ms | %d | %.0f / %.0f / %.0f ms |%n",
					concurrency, javaMedian.applyAsDouble((r) -> r.result().loginsPerSecond()),
					javaMedian.applyAsDouble(BenchmarkRun.LoadRun::serverCpuMs),
					javaMedian.applyAsDouble(BenchmarkRun.LoadRun::gcCpuMs),
					javaMedian.applyAsDouble(BenchmarkRun.LoadRun::cpuRatio),
					javaMedian.applyAsDouble(BenchmarkRun.LoadRun::driverCpuMs), runErrors,
					javaMedian.applyAsDouble((r) -> r.result().percentileMillis(1, 50)),
					javaMedian.applyAsDouble((r) -> r.result().percentileMillis(1, 95)),
					javaMedian.applyAsDouble((r) -> r.result().percentileMillis(1, 99))));
		}
		}
		keycloakSection(md);
		md.append("\nWhere the rest of the CPU goes, method by method: `bench/profile.sh` (JFR), see "
				+ "[performance.md](performance.md#benchmarks).\n");

		md.append("\n## Start-up and memory\n\n| figure | value |\n|---|---|\n");
		if (this.startup.plain().length > 0) {
			md.append(String.format(Locale.ROOT, "| `java -jar` to the first 200 on /login, plain jar (Java 17, no option "
					+ "but the hash probe's agent), median of %d | %.2f s (%s) |%n", this.startup.plain().length,
					plainMillis / 1000, list(Arrays.stream(this.startup.plain()).map((ms) -> ms / 1000).toArray())));
		}
		if (this.startup.cds().length > 0) {
			md.append(String.format(Locale.ROOT, "| the same, extracted jar with a CDS archive (Java 17) | %.2f s |%n",
					cdsMillis / 1000))
				.append(String.format(Locale.ROOT, "| the same, with Spring AOT (`-Dspring.aot.enabled=true`) and its own "
						+ "CDS archive (Java 17) | %.2f s |%n", cdsSpringAotMillis / 1000));
		}
		this.startup.aotCache()
			.ifPresent((aot) -> md.append(String.format(Locale.ROOT,
					"| the same with Spring AOT, and an AOT cache instead of CDS (`%s`, JEP 483/515) | %.2f s |%n",
					this.startup.java25(), BenchmarkRun.median(aot) / 1000)));
		if (this.keycloak != null) {
			md.append(String.format(Locale.ROOT, "| Keycloak %s, `kc.sh start-dev` to the first 200 on /realms/master "
					+ "(its first start: Quarkus re-augments, then starts; beside the seeding, so not comparable) | %.1f s |%n",
					KeycloakServer.VERSION, this.keycloak.startupMillis() / 1000.0));
		}
		md.append(String.format(Locale.ROOT, "| RSS after the warm-up, no JVM option | %d MiB |%n| RSS after "
				+ "%,d logins, no JVM option | %d MiB%s |%n", this.rssWarm, this.totalLogins, this.rssAfter,
				((this.javaRssAfter > 0) ? " (the Bouncy Castle server beside it: " + this.javaRssAfter + " MiB)" : "")
						+ ((this.keycloak != null) ? "; Keycloak beside it, with kc.sh's heap options: "
								+ this.keycloak.rssMib() + " MiB" : "")))
			.append("\nWith the run options of [performance.md](performance.md#memory), over 10,000 logins: `MemoryRun` "
					+ "(performance.md, Memory).\n");

		if (this.smallP50.length > 0) {
			md.append(String.format(Locale.ROOT, "%n## Growth%n%nLogin time (the whole five-request login, one user at "
					+ "a time), median of " + BenchmarkRun.RUNS + " runs, the two servers used alternately: **%.1f ms** with "
					+ "1,000 accounts, **%.1f ms** with 1,000,000 (ratio %.2f). The accounts were seeded with one copied "
					+ "hash.%n", BenchmarkRun.median(this.smallP50), BenchmarkRun.median(this.largeP50), growthRatio));
		}

		if (!this.jmh.isEmpty()) {
			md.append("\n## JMH microbenchmarks\n\n| benchmark | µs per operation | ± (99.9%) |\n|---|---|---|\n");
		}
		for (RunResult result : this.jmh) {
			String name = result.getParams().getBenchmark();
			md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f |%n", name.substring(name.lastIndexOf('.') + 1),
					result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreError()));
		}
		sectionTimes(md);
		Files.createDirectories(docs);
		// What earlier profiles showed: kept in the source tree, so that every new report still carries it.
		md.append("\n").append(Files.readString(Path.of("bench/profile-notes.md")));
		Files.writeString(docs.resolve("benchmarks.md"), md.toString());
	}

	/** Issue 32's side-by-side targets: ours against Keycloak at 8 users, both hashes reported. */
	private void keycloakTargets(StringBuilder md) {
		if (this.keycloak == null || this.keycloak.runs().isEmpty()) {
			return;
		}
		int users = 8;
		double ours = median(users, (r) -> r.result().loginsPerSecond());
		double theirs = kc(users, (r) -> r.result().loginsPerSecond());
		row(md, "logins/s at " + users + " users, ours ÷ Keycloak " + KeycloakServer.VERSION, "≥ 2.0",
				fmt(ours / theirs, 2) + " (" + fmt(ours, 1) + " ÷ " + fmt(theirs, 1) + ")", ours / theirs >= 2.0);
		double ourCpu = median(users, BenchmarkRun.LoadRun::serverCpuMs);
		double theirCpu = kc(users, BenchmarkRun.LoadRun::serverCpuMs);
		row(md, "server CPU per login at " + users + " users, ours ÷ Keycloak", "≤ 0.50",
				fmt(ourCpu / theirCpu, 2) + " (" + fmt(ourCpu, 1) + " ÷ " + fmt(theirCpu, 1) + " ms)",
				ourCpu / theirCpu <= 0.50);
		double ourCheck = BenchmarkRun.median(this.runs.stream().mapToDouble((r) -> r.hash().cpuMs()).toArray());
		double theirCheck = BenchmarkRun
			.median(this.keycloak.runs().stream().mapToDouble((r) -> r.hash().cpuMs()).toArray());
		md.append("| CPU per check: ours (Argon2id 19 MiB t=2, in-server probe) ÷ Keycloak's (its hash, a wrong-password "
				+ "sign-in and its page) | (reported) | " + fmt(ourCheck / theirCheck, 2) + " (" + fmt(ourCheck, 1) + " ÷ "
				+ fmt(theirCheck, 1) + " ms) | |\n");
		double ourRest = median(users, BenchmarkRun.LoadRun::nonHashCpuMs);
		double theirRest = kc(users, BenchmarkRun.LoadRun::nonHashCpuMs);
		md.append("| server CPU per login at " + users + " users with each side's check subtracted, ours ÷ Keycloak | "
				+ "(reported) | " + fmt(ourRest / theirRest, 2) + " (" + fmt(ourRest, 1) + " ÷ " + fmt(theirRest, 1)
				+ " ms; CPU-bound logins/s without the hash, cores ÷ that: " + fmt(theirRest / ourRest, 2) + "×) | |\n");
	}

	/** Non-hash CPU per full login, ours, per level (issue 32, point 1). */
	private void ourTargets(StringBuilder md) {
		for (int concurrency : BenchmarkRun.CONCURRENCY) {
			double rest = median(concurrency, BenchmarkRun.LoadRun::nonHashCpuMs);
			row(md, "our non-hash CPU per full login at " + concurrency + " users (server CPU per login − CPU per "
					+ "check, both timed around each run)", "≤ 10 ms",
					fmt(rest, 1) + " ms (" + fmt(median(concurrency, BenchmarkRun.LoadRun::serverCpuMs), 1) + " − "
							+ fmt(median(concurrency, (r) -> r.hash().cpuMs()), 1) + "; of it JIT "
							+ fmt(median(concurrency, BenchmarkRun.LoadRun::jitCpuMs), 1) + ")",
					rest <= 10);
		}
	}

	private double kc(int concurrency, ToDoubleFunction<BenchmarkRun.LoadRun> figure) {
		return BenchmarkRun.medianOf(this.keycloak.runs(), concurrency, figure);
	}

	private void keycloakSection(StringBuilder md) {
		if (this.keycloak == null) {
			return;
		}
		BenchmarkRun.KeycloakSide kc = this.keycloak;
		md.append(String.format(Locale.ROOT, "%n## Keycloak %s side by side%n%n", KeycloakServer.VERSION))
			.append(String.format(Locale.ROOT,
					"Keycloak from its Maven Central zip (`org.keycloak:keycloak-quarkus-dist:%s:zip`), `bin/kc.sh "
							+ "start-dev` (its embedded dev database) on `%s`, up beside our server for the whole load "
							+ "section, its runs alternating with ours (ours at N users, then Keycloak at N). No JVM "
							+ "option of ours on our server; Keycloak runs with kc.sh's own defaults (`%s`, besides "
							+ "system properties), of which one is ours, `" + KeycloakServer.JAVA_25_OPEN + "` through kc.sh's "
							+ "`JAVA_OPTS_APPEND`: Keycloak 26.4 supports Java 21, this machine has 17 and 25, and on "
							+ "25 its worker threads die without it (JBoss Threads' IllegalAccessError; requests hang). "
							+ "Realm `%s`: brute-force detection "
							+ "off, CONFIGURE_TOTP a default required action (required actions of the first and the last "
							+ "user: %s), the browser flow as shipped (its OTP step asks every user with OTP set up), OTP "
							+ "policy %s (what `TestTotp` computes). Password hashing, as Keycloak stored the password "
							+ "of a user created through the admin API with the realm's password policy `%s` (none: "
							+ "its defaults): `%s`; the other users got a copy of a hash made with those parameters, as "
							+ "our seeded accounts get one copied hash.%n%n",
					KeycloakServer.VERSION, KeycloakServer.javaHome(), kc.jvmOptions(), KeycloakDriver.REALM,
					kc.realm().userRequiredActions(), kc.realm().otpPolicy(), kc.realm().passwordPolicy(),
					kc.realm().hashing()))
			.append(String.format(Locale.ROOT,
					"**A login**: ours is the five requests above, to a signed-in page; Keycloak's is %s, %s, %s: "
							+ "the authorization request to Keycloak's 302 to the client's redirect URI with `code=` (the "
							+ "code's exchange for tokens is the client's, not counted). Anything else is an error. "
							+ "%,d users, every one enrolled by the driver at its first sign-in (the password, the "
							+ "CONFIGURE_TOTP page in its manual-entry mode, whose secret the driver reads, a code "
							+ "from it), so that none signs in twice within one 30-s step (Keycloak refuses a code "
							+ "twice, as we do). Warm-up at the same time as ours: the %,d enrolments, then full "
							+ "logins at 8 users in %d-s chunks until its JIT compiler threads took under %.1f ms of "
							+ "CPU per login or %d s had passed: **%,d logins** in %d s (last chunk %.1f ms).%n%n",
					KeycloakDriver.STEPS[0], KeycloakDriver.STEPS[1], KeycloakDriver.STEPS[2], kc.enrolled(),
					kc.enrolled(), BenchmarkRun.WARM_UP_CHUNK.toSeconds(), BenchmarkRun.SETTLED_JIT_MS,
					BenchmarkRun.WARM_UP_LIMIT.toSeconds(), kc.warmUp().logins(), kc.warmUp().seconds(),
					kc.warmUp().jitMs()))
			.append(String.format(Locale.ROOT,
					"**Its hash**: Keycloak has no probe; its CPU per check is that of wrong-password sign-ins of "
							+ "existing users, %d clients at once, %d each, just before and just after each of its runs "
							+ "(each one Argon2 check plus the handling of a form POST and the sign-in page it answers "
							+ "with: an upper bound of its hash): median **%.1f ms** (%.1f–%.1f). Ours, the in-server "
							+ "probe above: %.1f ms.%n%n",
					this.cores, BenchmarkRun.KEYCLOAK_HASH_CHECKS,
					BenchmarkRun.median(kc.runs().stream().mapToDouble((r) -> r.hash().cpuMs()).toArray()),
					min(kc.runs().stream().mapToDouble((r) -> r.hash().cpuMs()).toArray()),
					max(kc.runs().stream().mapToDouble((r) -> r.hash().cpuMs()).toArray()),
					BenchmarkRun.median(this.runs.stream().mapToDouble((r) -> r.hash().cpuMs()).toArray())))
			.append("| users | logins/s, ours | Keycloak | ratio | server CPU per login, ours | Keycloak | ratio | "
					+ "Keycloak: of it JIT | of it GC | its CPU per check | without it | ours without ours | ratio "
					+ "without the hashes | Keycloak driver CPU | errors | Keycloak per request p50/p95/p99 (auth page, "
					+ "password, code) |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (int concurrency : BenchmarkRun.CONCURRENCY) {
			double ours = median(concurrency, (r) -> r.result().loginsPerSecond());
			double theirs = kc(concurrency, (r) -> r.result().loginsPerSecond());
			double ourCpu = median(concurrency, BenchmarkRun.LoadRun::serverCpuMs);
			double theirCpu = kc(concurrency, BenchmarkRun.LoadRun::serverCpuMs);
			double ourRest = median(concurrency, BenchmarkRun.LoadRun::nonHashCpuMs);
			double theirRest = kc(concurrency, BenchmarkRun.LoadRun::nonHashCpuMs);
			int errors = kc.runs()
				.stream()
				.filter((r) -> r.concurrency() == concurrency)
				.mapToInt((r) -> r.result().errors())
				.sum();
			StringBuilder steps = new StringBuilder();
			for (int step = 0; step < KeycloakDriver.STEPS.length; step++) {
				int s = step;
				steps.append((step > 0) ? "; " : "")
					.append(String.format(Locale.ROOT, "%.0f / %.0f / %.0f",
							kc(concurrency, (r) -> r.result().percentileMillis(s, 50)),
							kc(concurrency, (r) -> r.result().percentileMillis(s, 95)),
							kc(concurrency, (r) -> r.result().percentileMillis(s, 99))));
			}
			md.append(String.format(Locale.ROOT,
					"| %d | %.1f | %.1f | %.2f | %.1f ms | %.1f ms | %.2f | %.1f ms | %.1f ms | %.1f ms | %.1f ms | "
							+ "%.1f ms | %.2f | %.1f ms | %d | %s ms |%n",
					concurrency, ours, theirs, ours / theirs, ourCpu, theirCpu, ourCpu / theirCpu,
					kc(concurrency, BenchmarkRun.LoadRun::jitCpuMs), kc(concurrency, BenchmarkRun.LoadRun::gcCpuMs),
					kc(concurrency, (r) -> r.hash().cpuMs()), theirRest, ourRest, ourRest / theirRest,
					kc(concurrency, BenchmarkRun.LoadRun::driverCpuMs), errors, steps));
		}
		if (kc.lastError() != null) {
			md.append("\nKeycloak's last error: `").append(kc.lastError()).append("`\n");
		}
	}

	/** Where the run's time went. */
	private static void sectionTimes(StringBuilder md) {
		if (BenchmarkRun.SECTION_SECONDS.isEmpty()) {
			return;
		}
		md.append("\n## The run's time, by section\n\n| section | time |\n|---|---|\n");
		BenchmarkRun.SECTION_SECONDS
			.forEach((section, seconds) -> md.append("| ").append(section).append(" | ").append(seconds).append(" s |\n"));
		md.append(String.format(Locale.ROOT, "| total | %d s |%n",
				BenchmarkRun.SECTION_SECONDS.values().stream().mapToLong(Long::longValue).sum()));
	}

	private double median(int concurrency, ToDoubleFunction<BenchmarkRun.LoadRun> figure) {
		return BenchmarkRun.medianOf(this.runs, concurrency, figure);
	}

	private String percentiles(int concurrency, int step) {
		return String.format(Locale.ROOT, "%.0f / %.0f / %.0f ms", p(concurrency, step, 50), p(concurrency, step, 95),
				p(concurrency, step, 99));
	}

	private double p(int concurrency, int step, double percentile) {
		return median(concurrency, (r) -> r.result().percentileMillis(step, percentile));
	}

	private double score(String benchmark) {
		return this.jmh.stream()
			.filter((r) -> r.getParams().getBenchmark().endsWith("." + benchmark))
			.findFirst()
			.orElseThrow()
			.getPrimaryResult()
			.getScore();
	}

	private static String cpuModel() {
		try {
			return Files.readAllLines(Path.of("/proc/cpuinfo"))
				.stream()
				.filter((line) -> line.startsWith("model name"))
				.map((line) -> line.substring(line.indexOf(':') + 1).strip())
				.findFirst()
				.orElse("unknown CPU");
		}
		catch (IOException ex) {
			return "unknown CPU";
		}
	}

	private static String list(double[] values) {
		return String.join(", ",
				Arrays.stream(values).mapToObj((value) -> String.format(Locale.ROOT, "%.1f", value)).toList());
	}

	private static double min(double[] values) {
		return Arrays.stream(values).min().orElse(0);
	}

	private static double max(double[] values) {
		return Arrays.stream(values).max().orElse(0);
	}

	/**
	 * Minutes since bench/run.sh started ({@code BENCH_STARTED}, epoch seconds, set by the script before its build),
	 * up to the report; the chart after it takes well under a second.
	 */
	private static OptionalDouble benchLength() {
		String started = System.getenv("BENCH_STARTED");
		if (started == null || started.isBlank()) {
			return OptionalDouble.empty();
		}
		return OptionalDouble.of((System.currentTimeMillis() / 1000.0 - Long.parseLong(started.trim())) / 60);
	}

	private static void row(StringBuilder md, String figure, String target, String measured, boolean met) {
		md.append("| ").append(figure).append(" | ").append(target).append(" | ").append(measured).append(" | ")
			.append(met ? "met" : "**missed**").append(" |\n");
	}

	private static String fmt(double value, int decimals) {
		return String.format(Locale.ROOT, "%." + decimals + "f", value);
	}

}
