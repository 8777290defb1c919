package dev.totplogin.securitykey;

/**
 * A WebAuthn ceremony this application refuses (no fresh proof, a name or credential it
 * will not store, a signature counter that went back): the endpoint guard answers 400.
 */
class RefusedCeremony extends RuntimeException {

	RefusedCeremony(String reason) {
		super(reason);
	}

}
