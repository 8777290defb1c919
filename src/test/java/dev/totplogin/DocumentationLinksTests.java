package dev.totplogin;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README and the pages under {@code docs/} link to each other by file and by heading:
 * every link to a file of this repository points at one that exists, and every
 * {@code #anchor} at a heading that GitHub gives that anchor. Also keeps the README short
 * (issue 28: at most 12 KB); its depth lives in {@code docs/}.
 */
class DocumentationLinksTests {

	private static final long README_LIMIT = 12 * 1024;

	/**
	 * {@code ](target)} or {@code ](target "title")}: the end of an inline link or image.
	 */
	private static final Pattern INLINE_LINK = Pattern
		.compile("\\]\\(\\s*(<[^>]*>|[^)\\s]+)(?:\\s+(?:\"[^\"]*\"|'[^']*'|\\([^)]*\\)))?\\s*\\)");

	/** {@code [label]: target}: a link reference definition. */
	private static final Pattern REFERENCE_DEFINITION = Pattern.compile("(?m)^ {0,3}\\[[^\\]]+\\]:\\s*(<[^>]*>|\\S+)");

	private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})");

	private static final Pattern ATX_HEADING = Pattern.compile("^ {0,3}#{1,6}(?:[ \\t]+(.*?))?(?:[ \\t]+#+)?[ \\t]*$");

	private static final Pattern SETEXT_UNDERLINE = Pattern.compile("^ {0,3}(=+|-+)[ \\t]*$");

	private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:[^>]*\\s)?(?:id|name)=\"([^\"]+)\"");

	private static final Pattern HTML_COMMENT = Pattern.compile("(?s)<!--.*?-->");

	private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");

	@Test
	void linksWhenReadmeAndDocsReadThenEveryFileAndAnchorExists() throws IOException {
		List<Path> pages = documentation(Path.of(""));
		assertThat(pages).contains(Path.of("README.md"), Path.of("docs", "security-model.md"),
				Path.of("docs", "routes.md"), Path.of("docs", "production.md"), Path.of("docs", "performance.md"),
				Path.of("docs", "failure-behaviour.md"), Path.of("docs", "testing.md"));
		assertThat(brokenLinks(pages)).as("links of the README and docs/ that lead nowhere").isEmpty();
	}

	@Test
	void readmeWhenMeasuredThenAtMost12KB() throws IOException {
		assertThat(Files.size(Path.of("README.md"))).as("README.md in bytes (the rest belongs in docs/)")
			.isLessThanOrEqualTo(README_LIMIT);
	}

	@Test
	void readmeWhenReadThenLinksEveryPageOfDocs() throws IOException {
		String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
		try (Stream<Path> docs = Files.list(Path.of("docs"))) {
			assertThat(docs.filter((path) -> path.toString().endsWith(".md")))
				.allSatisfy((page) -> assertThat(readme).contains("](docs/" + page.getFileName() + ")"));
		}
	}

	@Test
	void slugWhenHeadingHasCodePunctuationOrDashesThenAsGitHubMakesIt() {
		assertThat(slug("`--reset-2fa`: operator reset")).isEqualTo("--reset-2fa-operator-reset");
		assertThat(slug("A recipe: PostgreSQL, two instances, a reverse proxy"))
			.isEqualTo("a-recipe-postgresql-two-instances-a-reverse-proxy");
		assertThat(slug("Spring Security's pieces, and the one that is ours"))
			.isEqualTo("spring-securitys-pieces-and-the-one-that-is-ours");
		assertThat(slug("Start-up — the jar")).isEqualTo("start-up--the-jar");
		assertThat(slug("Security keys and passkeys (WebAuthn)")).isEqualTo("security-keys-and-passkeys-webauthn");
		assertThat(slug("The **ten** most-used settings")).isEqualTo("the-ten-most-used-settings");
		assertThat(slug("`user_entities` and _emphasis_")).isEqualTo("user_entities-and-emphasis");
		assertThat(slug("[Routes](routes.md) → 1.2 · Über")).isEqualTo("routes--12--über");
		assertThat(slug("What \"busy\" means: 503 / Retry-After?")).isEqualTo("what-busy-means-503--retry-after");
	}

	@Test
	void anchorsWhenHeadingsRepeatOrSitInCodeThenNumberedAndCodeIgnored() {
		String page = """
				# Notes
				## Notes
				```bash
				# not a heading
				```
				### Notes
				Setext heading
				--------------
				<a id="custom-anchor"></a>
				""";
		assertThat(anchors(page)).containsExactlyInAnyOrder("notes", "notes-1", "notes-2", "setext-heading",
				"custom-anchor");
	}

	@Test
	void linksWhenAFileOrAnAnchorIsMissingThenEachIsReported(@TempDir Path root) throws IOException {
		Files.createDirectories(root.resolve("docs"));
		Files.writeString(root.resolve("docs/target.md"), "# Target\n\n## `--reset-2fa`: operator reset\n");
		Files.writeString(root.resolve("README.md"), """
				# Read me
				[fine](docs/target.md#--reset-2fa-operator-reset) and [up](#read-me)
				[no file](docs/missing.md) and [no anchor](docs/target.md#operator-reset)
				![no image](docs/missing.png "title") and [no own anchor](#nowhere)
				[web](https://example.org/x.md#y) and [mail](mailto:someone@example.org)
				`[in code](docs/absent.md)`
				```
				[in a fence](docs/absent.md)
				```
				<!-- [in a comment](docs/absent.md) -->
				""");
		List<String> broken = brokenLinks(List.of(root.resolve("README.md"), root.resolve("docs/target.md")));
		assertThat(broken).hasSize(4)
			.anySatisfy((line) -> assertThat(line).contains("docs/missing.md"))
			.anySatisfy((line) -> assertThat(line).contains("docs/target.md#operator-reset"))
			.anySatisfy((line) -> assertThat(line).contains("docs/missing.png"))
			.anySatisfy((line) -> assertThat(line).contains("#nowhere"));
	}

	/** README.md and every Markdown file under docs/. */
	private static List<Path> documentation(Path root) throws IOException {
		List<Path> pages = new ArrayList<>();
		pages.add(root.resolve("README.md"));
		try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
			docs.filter((path) -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		return pages;
	}

	/** One line per link that leads nowhere: the page, the link and what is missing. */
	static List<String> brokenLinks(List<Path> pages) throws IOException {
		Map<Path, Set<String>> anchorsByPage = new HashMap<>();
		List<String> broken = new ArrayList<>();
		for (Path page : pages) {
			for (String link : links(Files.readString(page, StandardCharsets.UTF_8))) {
				String problem = problem(page, link, anchorsByPage);
				if (problem != null) {
					broken.add(page + ": " + link + " (" + problem + ")");
				}
			}
		}
		return broken;
	}

	private static String problem(Path page, String link, Map<Path, Set<String>> anchorsByPage) throws IOException {
		String lower = link.toLowerCase(Locale.ROOT);
		if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("mailto:")) {
			return null;
		}
		int hash = link.indexOf('#');
		String file = (hash < 0) ? link : link.substring(0, hash);
		String anchor = (hash < 0) ? null : URLDecoder.decode(link.substring(hash + 1), StandardCharsets.UTF_8);
		Path target = file.isEmpty() ? page : resolve(page, file);
		if (!Files.exists(target)) {
			return "no file " + target;
		}
		if (anchor == null || Files.isDirectory(target) || !target.toString().endsWith(".md")) {
			return null;
		}
		Set<String> anchors = anchorsByPage.get(target.normalize());
		if (anchors == null) {
			anchors = anchors(Files.readString(target, StandardCharsets.UTF_8));
			anchorsByPage.put(target.normalize(), anchors);
		}
		return anchors.contains(anchor) ? null : "no heading for #" + anchor + " in " + target;
	}

	private static Path resolve(Path page, String file) {
		String decoded = URLDecoder.decode(file.replace("+", "%2B"), StandardCharsets.UTF_8);
		Path directory = (page.getParent() != null) ? page.getParent() : Path.of("");
		return directory.resolve(decoded).normalize();
	}

	/**
	 * The targets of a page's inline links, images and reference definitions, outside
	 * code blocks, code spans and HTML comments.
	 */
	static List<String> links(String markdown) {
		String prose = CODE_SPAN.matcher(HTML_COMMENT.matcher(withoutCodeBlocks(markdown)).replaceAll(""))
			.replaceAll("");
		List<String> links = new ArrayList<>();
		for (Pattern pattern : List.of(INLINE_LINK, REFERENCE_DEFINITION)) {
			Matcher matcher = pattern.matcher(prose);
			while (matcher.find()) {
				String target = matcher.group(1);
				links.add(target.startsWith("<") ? target.substring(1, target.length() - 1) : target);
			}
		}
		return links;
	}

	/** The anchors GitHub gives a page: one per heading, and explicit HTML anchors. */
	static Set<String> anchors(String markdown) {
		Set<String> anchors = new LinkedHashSet<>();
		Map<String, Integer> seen = new HashMap<>();
		String[] lines = withoutCodeBlocks(markdown).split("\n", -1);
		for (int i = 0; i < lines.length; i++) {
			String heading = null;
			Matcher atx = ATX_HEADING.matcher(lines[i]);
			if (atx.matches()) {
				heading = (atx.group(1) != null) ? atx.group(1) : "";
			}
			else if (i + 1 < lines.length && SETEXT_UNDERLINE.matcher(lines[i + 1]).matches()
					&& isParagraphText(lines[i])) {
				heading = lines[i].strip();
			}
			if (heading != null) {
				String slug = slug(heading);
				int count = seen.merge(slug, 1, Integer::sum);
				anchors.add((count == 1) ? slug : slug + "-" + (count - 1));
			}
			Matcher html = HTML_ANCHOR.matcher(lines[i]);
			while (html.find()) {
				anchors.add(html.group(1));
			}
		}
		return anchors;
	}

	private static boolean isParagraphText(String line) {
		String text = line.strip();
		return !text.isEmpty() && !text.startsWith("|") && !text.startsWith("#") && !text.startsWith(">")
				&& !text.matches("([-*+]|\\d+[.)])(\\s.*)?");
	}

	/**
	 * GitHub's anchor of a heading: its text as shown (links, code and emphasis marks
	 * gone), in lower case, every character but letters, digits, {@code _}, {@code -} and
	 * spaces dropped, and each space a hyphen.
	 */
	static String slug(String heading) {
		StringBuilder text = new StringBuilder();
		Matcher code = CODE_SPAN.matcher(heading);
		int at = 0;
		while (code.find()) {
			text.append(shownText(heading.substring(at, code.start()))).append(code.group(2).strip());
			at = code.end();
		}
		text.append(shownText(heading.substring(at)));
		return text.toString()
			.toLowerCase(Locale.ROOT)
			.replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "")
			.replace(' ', '-');
	}

	/**
	 * Markdown outside code spans, as text: images and links by their text, no emphasis.
	 */
	private static String shownText(String markdown) {
		return markdown.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1")
			.replaceAll("<[^>]+>", "")
			.replaceAll("(?<![\\p{L}\\p{N}])_{1,2}([^_]+)_{1,2}(?![\\p{L}\\p{N}])", "$1");
	}

	/**
	 * The page with every line of a fenced code block emptied (lines kept, so are
	 * numbers).
	 */
	private static String withoutCodeBlocks(String markdown) {
		StringBuilder out = new StringBuilder();
		String fence = null;
		for (String line : markdown.split("\n", -1)) {
			Matcher opening = FENCE.matcher(line);
			if (fence == null && opening.find()) {
				fence = opening.group(1);
				out.append('\n');
			}
			else if (fence != null) {
				String closing = line.strip();
				char mark = fence.charAt(0);
				if (closing.length() >= fence.length() && closing.chars().allMatch((c) -> c == mark)) {
					fence = null;
				}
				out.append('\n');
			}
			else {
				out.append(line).append('\n');
			}
		}
		return out.toString();
	}

}
