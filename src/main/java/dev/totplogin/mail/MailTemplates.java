package dev.totplogin.mail;

import java.util.Set;

import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * Thymeleaf for mail: plain text from {@code templates/mail/*.txt}, HTML from
 * {@code templates/mail/*.html}.
 */
@Component
class MailTemplates {

	private final SpringTemplateEngine engine = new SpringTemplateEngine();

	MailTemplates(MessageSource messages) {
		this.engine.addTemplateResolver(resolver(TemplateMode.TEXT, "mail/*.txt", 1));
		this.engine.addTemplateResolver(resolver(TemplateMode.HTML, "mail/*.html", 2));
		this.engine.setTemplateEngineMessageSource(messages);
	}

	SpringTemplateEngine engine() {
		return this.engine;
	}

	private static ClassLoaderTemplateResolver resolver(TemplateMode mode, String pattern, int order) {
		ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
		resolver.setPrefix("templates/");
		resolver.setTemplateMode(mode);
		resolver.setResolvablePatterns(Set.of(pattern));
		resolver.setCharacterEncoding("UTF-8");
		resolver.setCheckExistence(true);
		resolver.setOrder(order);
		return resolver;
	}

}
