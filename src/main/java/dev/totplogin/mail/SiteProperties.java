package dev.totplogin.mail;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where this application is reached ({@code app.*}).
 *
 * @param baseUrl the start of every link in a mail; never taken from a request's
 * {@code Host} header (required in {@code prod})
 */
@ConfigurationProperties("app")
public record SiteProperties(@DefaultValue("http://localhost:8080") URI baseUrl) {

	/** The link to a path of this application, e.g. {@code /password/reset?token=…}. */
	public String link(String pathAndQuery) {
		String base = this.baseUrl.toString();
		return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + pathAndQuery;
	}

}
