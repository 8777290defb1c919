package dev.totplogin.signin;

/**
 * What the sign-in form shows; Spring Security's form login reads its POST. After a
 * failed attempt the username comes back (already bounded and cleaned by the failure
 * handler), never the password.
 *
 * @param username the username to show
 * @param password always empty
 */
record LoginForm(String username, String password) {

	static LoginForm showing(Object username) {
		return new LoginForm((username instanceof String typed) ? typed : "", "");
	}

}
