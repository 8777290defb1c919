package dev.totplogin.security;

/**
 * The sessions the store keeps under an account's name, whichever store it is: what an
 * account's deletion must not leave behind.
 */
interface StoredSessions {

	/**
	 * Deletes every stored session under the name, signed in or still pending a step.
	 * @param username the account's username, the sessions' principal name
	 */
	void forgetAll(String username);

}
