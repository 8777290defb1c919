package dev.totplogin.totp;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;

import javax.imageio.ImageIO;

import dev.totplogin.support.QrCodes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QrCodeRendererTests {

	private final QrCodeRenderer renderer = new QrCodeRenderer();

	@Test
	void pngWhenDecodedWithZxingReaderThenYieldsTheUri() throws Exception {
		String uri = OtpAuthUri.of("TOTP Login", "alice.smith@example.org", "I2DV3R2LBQMGJ6LFLSQSW2XFA6OIGAM7");
		byte[] png = this.renderer.png(uri);
		assertThat(png).startsWith(0x89, 'P', 'N', 'G');
		assertThat(QrCodes.decode(png)).isEqualTo(uri);
	}

	@Test
	void pngWhenRenderedThenSquareWithQuietZone() throws Exception {
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(this.renderer.png("otpauth://totp/x:y?secret=A")));
		assertThat(image.getWidth()).isEqualTo(image.getHeight());
		// The 4-module quiet zone: the top-left 4 × 6 pixels are white.
		for (int i = 0; i < 24; i++) {
			assertThat(image.getRGB(i, i) & 0xFFFFFF).isEqualTo(0xFFFFFF);
		}
		assertThat(image.getRGB(24, 24) & 0xFFFFFF).as("finder pattern corner").isZero();
	}

}
