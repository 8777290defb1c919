package dev.totplogin.audit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The client a limit counts: the request's IP address (from the trusted proxy in
 * {@code prod}), an IPv6 address by its /64 network, since one subscriber gets a whole
 * /64 and could otherwise take a fresh address for every request. Every per-client limit
 * (sign-ups, reset requests, failed passwords, hashing capacity) uses this one key.
 */
public final class ClientAddress {

	private ClientAddress() {
	}

	/** The current request's client; empty outside a request. */
	public static Optional<String> current() {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		if (!(attributes instanceof ServletRequestAttributes servlet)) {
			return Optional.empty();
		}
		return Optional.ofNullable(servlet.getRequest().getRemoteAddr()).map(ClientAddress::keyOf);
	}

	/**
	 * "203.0.113.7" as it is, "2001:db8:1:2::/64" for any address of that network;
	 * anything that is no literal address as it is.
	 */
	public static String keyOf(String address) {
		if (address == null || !address.contains(":")) {
			return address;
		}
		try {
			// With a colon, InetAddress parses an IPv6 literal or refuses it: never a
			// name lookup.
			byte[] bytes = InetAddress.getByName(stripZone(address)).getAddress();
			if (bytes.length != 16) {
				return address;
			}
			for (int i = 8; i < 16; i++) {
				bytes[i] = 0;
			}
			return ClientInfo.compact(expanded(bytes)) + "/64";
		}
		catch (UnknownHostException ex) {
			return address;
		}
	}

	private static String stripZone(String address) {
		int zone = address.indexOf('%');
		return (zone < 0) ? address : address.substring(0, zone);
	}

	private static String expanded(byte[] bytes) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < 16; i += 2) {
			if (i > 0) {
				text.append(':');
			}
			text.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)));
		}
		return text.toString();
	}

}
