package dev.totplogin.oidc;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * How {@code security.AccountPrincipal} is kept in an authorization's JSON (the sign-in
 * the code was issued to, read again at the token endpoint): its fields but never a
 * password hash (the hash is gone by then anyway; this makes sure). Registered with
 * Spring Security's Jackson modules and allowed by their type validator
 * ({@code OidcConfiguration}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
		isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonIgnoreProperties(ignoreUnknown = true)
abstract class AccountPrincipalMixin {

	@JsonIgnore
	private String passwordHash;

	@JsonCreator
	AccountPrincipalMixin(@JsonProperty("accountId") long accountId, @JsonProperty("username") String username,
			@JsonProperty("totpEnabled") boolean totpEnabled, @JsonProperty("sessionEpoch") int sessionEpoch,
			@JsonProperty("signedInSession") String signedInSession,
			@JsonProperty("passwordHash") String passwordHash) {
	}

}
