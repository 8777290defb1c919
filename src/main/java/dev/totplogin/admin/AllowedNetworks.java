package dev.totplogin.admin;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code app.admin.allowed-networks}: a client outside them gets 404 on every
 * {@code /admin} route, signed in or not, before anything else is asked (the console does
 * not exist for it). The client's address is the request's, from the trusted proxy in
 * {@code prod} ({@code server.forward-headers-strategy}).
 */
class AllowedNetworks extends OncePerRequestFilter {

	private final List<IpAddressMatcher> networks;

	private final RequestMatcher console;

	AllowedNetworks(List<String> networks, RequestMatcher console) {
		this.networks = networks.stream().map(IpAddressMatcher::new).toList();
		this.console = console;
	}

	boolean allows(String address) {
		return this.networks.isEmpty() || this.networks.stream().anyMatch((network) -> network.matches(address));
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !this.console.matches(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!allows(request.getRemoteAddr())) {
			response.sendError(HttpServletResponse.SC_NOT_FOUND);
			return;
		}
		chain.doFilter(request, response);
	}

}
