package dev.totplogin.totp;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import javax.imageio.ImageIO;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

import org.springframework.stereotype.Component;

/**
 * Draws QR codes locally with ZXing, as PNG: error correction M, a quiet zone of 4
 * modules.
 */
@Component
class QrCodeRenderer {

	private static final int PIXELS_PER_MODULE = 6;

	private static final Map<EncodeHintType, Object> hints = Map.of(EncodeHintType.ERROR_CORRECTION,
			ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 4, EncodeHintType.CHARACTER_SET, "UTF-8");

	static {
		// Render in memory: never write the image (which holds the secret) to a temporary
		// file.
		ImageIO.setUseCache(false);
	}

	byte[] png(String contents) {
		BitMatrix modules = encode(contents);
		int size = modules.getWidth() * PIXELS_PER_MODULE;
		BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_BINARY);
		Graphics2D graphics = image.createGraphics();
		try {
			graphics.setColor(Color.WHITE);
			graphics.fillRect(0, 0, size, size);
			graphics.setColor(Color.BLACK);
			for (int y = 0; y < modules.getHeight(); y++) {
				for (int x = 0; x < modules.getWidth(); x++) {
					if (modules.get(x, y)) {
						graphics.fillRect(x * PIXELS_PER_MODULE, y * PIXELS_PER_MODULE, PIXELS_PER_MODULE,
								PIXELS_PER_MODULE);
					}
				}
			}
		}
		finally {
			graphics.dispose();
		}
		ByteArrayOutputStream png = new ByteArrayOutputStream();
		try {
			ImageIO.write(image, "png", png);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return png.toByteArray();
	}

	/**
	 * One bit per module, quiet zone included: width and height 0 ask ZXing for the
	 * smallest matrix.
	 */
	private static BitMatrix encode(String contents) {
		try {
			return new QRCodeWriter().encode(contents, BarcodeFormat.QR_CODE, 0, 0, hints);
		}
		catch (WriterException ex) {
			throw new IllegalArgumentException("cannot encode as QR code", ex);
		}
	}

}
