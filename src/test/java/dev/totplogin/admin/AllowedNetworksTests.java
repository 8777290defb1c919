package dev.totplogin.admin;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** {@code app.admin.allowed-networks}: IPv4 and IPv6 networks, 404 for anyone else. */
class AllowedNetworksTests {

	private final AllowedNetworks networks = new AllowedNetworks(List.of("10.0.0.0/8", "2001:db8::/32"),
			AdminGate.CONSOLE);

	@Test
	void consoleWhenTheClientIsInsideAnAllowedNetworkThenPassedOn() throws Exception {
		assertThat(status("/admin", "10.1.2.3")).isEqualTo(200);
		assertThat(status("/admin/log", "2001:db8:5::1")).isEqualTo(200);
	}

	@Test
	void consoleWhenTheClientIsOutsideThen404OnEveryRoute() throws Exception {
		assertThat(status("/admin", "192.0.2.1")).isEqualTo(404);
		assertThat(status("/admin/accounts/1/disable", "11.0.0.1")).isEqualTo(404);
		assertThat(status("/admin/log", "2001:db9::1")).isEqualTo(404);
	}

	@Test
	void otherPagesWhenTheClientIsOutsideThenUnaffected() throws Exception {
		assertThat(status("/account", "192.0.2.1")).isEqualTo(200);
	}

	@Test
	void networksWhenNoneConfiguredThenAnyClient() throws Exception {
		assertThat(new AllowedNetworks(List.of(), AdminGate.CONSOLE).allows("192.0.2.1")).isTrue();
	}

	@Test
	void propertiesWhenANetworkIsNoCidrThenRefusedAtStartUp() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new AdminProperties(java.time.Duration.ofMinutes(5), List.of("10.0.0.0/33")));
	}

	private int status(String path, String client) throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
		request.setRemoteAddr(client);
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.networks.doFilter(request, response, new MockFilterChain());
		return response.getStatus();
	}

}
