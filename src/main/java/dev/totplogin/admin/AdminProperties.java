package dev.totplogin.admin;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * The admin console ({@code app.admin.*}).
 *
 * @param freshProof how long a code confirmed in the console lets its actions through
 * (shorter than the account page's {@code app.security.fresh-proof})
 * @param allowedNetworks if set, the only client networks (CIDR, IPv4 or IPv6) that reach
 * any {@code /admin} route; any other gets 404. Empty: any client.
 */
@ConfigurationProperties("app.admin")
public record AdminProperties(@DefaultValue("5m") Duration freshProof, @DefaultValue List<String> allowedNetworks) {

	public AdminProperties {
		if (freshProof.isNegative() || freshProof.isZero()) {
			throw new IllegalArgumentException("app.admin.fresh-proof must be more than 0, not " + freshProof);
		}
		// Refused at start-up, not at the first admin request.
		allowedNetworks.forEach(IpAddressMatcher::new);
	}

}
