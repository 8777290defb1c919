package dev.totplogin.support;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;

import javax.imageio.ImageIO;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.NotFoundException;
import com.google.zxing.ChecksumException;
import com.google.zxing.FormatException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;

/** Reads a QR code back with ZXing's reader, as a phone's camera would. */
public final class QrCodes {

	private QrCodes() {
	}

	public static String decode(byte[] image) {
		try {
			return decode(ImageIO.read(new ByteArrayInputStream(image)));
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("not an image", ex);
		}
	}

	public static String decode(BufferedImage image) {
		BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)));
		try {
			return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.PURE_BARCODE, Boolean.FALSE)).getText();
		}
		catch (NotFoundException | ChecksumException | FormatException ex) {
			throw new IllegalArgumentException("no readable QR code in the image", ex);
		}
	}

	/** The {@code secret} parameter of an {@code otpauth://} URI. */
	public static String secretOf(String otpauthUri) {
		for (String parameter : otpauthUri.substring(otpauthUri.indexOf('?') + 1).split("&")) {
			if (parameter.startsWith("secret=")) {
				return parameter.substring("secret=".length());
			}
		}
		throw new IllegalArgumentException("no secret in " + otpauthUri);
	}

}
