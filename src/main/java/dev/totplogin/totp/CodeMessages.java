package dev.totplogin.totp;

/** The message shown next to the code field for each refusal. */
final class CodeMessages {

	private CodeMessages() {
	}

	static String keyFor(TotpService.Result result) {
		return switch (result) {
			case REPLAYED -> "code.replayed";
			case INVALID, ACCEPTED -> "code.invalid";
		};
	}

}
