package dev.totplogin.audit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** IP addresses as people read them (RFC 5952 for IPv6). */
class ClientInfoTests {

	@Test
	void compactWhenIpv6ThenTheLongestRunOfZeroGroupsBecomesDoubleColon() {
		assertThat(ClientInfo.compact("0:0:0:0:0:0:0:1")).isEqualTo("::1");
		assertThat(ClientInfo.compact("0:0:0:0:0:0:0:0")).isEqualTo("::");
		assertThat(ClientInfo.compact("fe80:0:0:0:0:0:0:0")).isEqualTo("fe80::");
		assertThat(ClientInfo.compact("2001:0DB8:0:0:1:0:0:1")).as("the first of two equal runs, lower case")
			.isEqualTo("2001:db8::1:0:0:1");
		assertThat(ClientInfo.compact("2001:db8:0:0:0:1:0:0")).isEqualTo("2001:db8::1:0:0");
		assertThat(ClientInfo.compact("2001:db8:0:1:2:3:4:5")).as("a single zero group stays")
			.isEqualTo("2001:db8:0:1:2:3:4:5");
	}

	@Test
	void compactWhenIpv4OrAlreadyShortOrNullThenAsItIs() {
		assertThat(ClientInfo.compact("127.0.0.1")).isEqualTo("127.0.0.1");
		assertThat(ClientInfo.compact("::1")).isEqualTo("::1");
		assertThat(ClientInfo.compact(null)).isNull();
	}

}
