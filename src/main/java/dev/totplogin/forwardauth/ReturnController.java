package dev.totplogin.forwardauth;

import java.net.URI;
import java.util.Optional;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code GET /auth/return?rd=<url>}, for a complete sign-in only: a page that goes on to
 * the protected application (checked against {@code app.forward-auth.domains} once more).
 * A page, not a redirect: the sign-in ends with a form post, and the pages'
 * {@code form-action 'self'} forbids its redirects to leave this site.
 */
@Controller
class ReturnController {

	static final String PATH = "/auth/return";

	private final ProtectedDomains domains;

	ReturnController(ProtectedDomains domains) {
		this.domains = domains;
	}

	@GetMapping(PATH)
	String goOn(@RequestParam(name = "rd", required = false) String rd, Model model) {
		Optional<URI> target = this.domains.check(rd);
		if (target.isEmpty()) {
			return "redirect:/";
		}
		model.addAttribute("target", target.get().toString());
		model.addAttribute("host", target.get().getHost());
		return "forward-auth-return";
	}

}
