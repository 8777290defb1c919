package dev.totplogin.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The browser tests' screenshots, as PNG files under {@code target/screenshots} (where
 * the copies in docs/screenshots come from), in one place so that every test writes them
 * the same way.
 */
public final class Screenshots {

	/** Where every browser test writes its screenshots. */
	public static final Path DIRECTORY = Path.of("target", "screenshots");

	private Screenshots() {
	}

	/**
	 * The whole page, top to bottom, whatever part of it is scrolled into view, as
	 * {@code <name>.png}.
	 * @return the file
	 */
	@SuppressWarnings("unchecked")
	public static Path page(ChromeDriver driver, String name) {
		Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
		Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
		Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", size.get("width"), "height", size.get("height"),
				"scale", 1);
		Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
				Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
		return write(name, Base64.getDecoder().decode((String) shot.get("data")));
	}

	/**
	 * What is in the window now (a part of a long page scrolled into view), as
	 * {@code <name>.png}.
	 * @return the file
	 */
	public static Path view(ChromeDriver driver, String name) {
		return write(name, driver.getScreenshotAs(OutputType.BYTES));
	}

	private static Path write(String name, byte[] png) {
		try {
			Path file = DIRECTORY.resolve(name + ".png");
			Files.createDirectories(file.getParent());
			return Files.write(file, png);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
