package dev.stevedore.engine.template;

import dev.stevedore.engine.value.JsonValues;
import dev.stevedore.spi.TemplateException;
import dev.stevedore.spi.Templates;
import freemarker.core.Environment;
import freemarker.core.InvalidReferenceException;
import freemarker.core.ParseException;
import freemarker.core.TemplateClassResolver;
import freemarker.ext.beans.BeansWrapper;
import freemarker.template.Configuration;
import freemarker.template.DefaultObjectWrapper;
import freemarker.template.DefaultObjectWrapperBuilder;
import freemarker.template.Template;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateHashModel;
import freemarker.template.TemplateModelException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

/**
 * The engine's one {@link Templates} implementation, on FreeMarker.
 *
 * <p>Variables are JSON-like Java values. Nested maps are reached with dots ({@code ${a.b.c}}, so a
 * module passing {@code {module: {image: {reference: {...}}}}} makes
 * {@code ${module.image.reference.registry}} work), lists with brackets and built-ins
 * ({@code ${list[0]}}, {@code ${list?size}}). Numbers print as in source code ({@code 1000}, not
 * {@code 1,000}) and booleans as {@code true}/{@code false}.
 *
 * <p><b>Native values.</b> {@link #render} gives a string that is exactly one interpolation, such as
 * {@code "${images}"}, the expression's own value: a list, a map, a number or a boolean, not its text.
 * That is what {@code loop:} and list-typed module arguments need. Any other string (text around the
 * interpolation, or two of them) renders to a string. {@link #renderString} always returns text.
 *
 * <p><b>Conditions.</b> {@link #evaluate} takes a bare FreeMarker expression ({@code a.changed && n > 2});
 * a condition wrapped in {@code ${...}} is accepted too. The strings {@code "true"} and {@code "false"}
 * (any case) count as booleans, because {@code -e flag=true} gives a string.
 *
 * <p>Templates cannot reach Java: {@code ?api}, {@code ?new} and includes are disabled.
 */
public final class FreeMarkerTemplates implements Templates {

    private static final String RESULT = "stevedore_expression_result";

    private final Configuration configuration;
    private final DefaultObjectWrapper wrapper;

    public FreeMarkerTemplates() {
        DefaultObjectWrapperBuilder wrapperBuilder = new DefaultObjectWrapperBuilder(Configuration.VERSION_2_3_34);
        wrapperBuilder.setUseAdaptersForContainers(true);
        wrapperBuilder.setExposureLevel(BeansWrapper.EXPOSE_NOTHING);
        wrapper = wrapperBuilder.build();
        configuration = new Configuration(Configuration.VERSION_2_3_34);
        configuration.setObjectWrapper(wrapper);
        configuration.setLocale(Locale.ROOT);
        configuration.setTimeZone(TimeZone.getTimeZone("UTC"));
        configuration.setNumberFormat("computer");
        configuration.setBooleanFormat("c");
        configuration.setInterpolationSyntax(Configuration.DOLLAR_INTERPOLATION_SYNTAX);
        configuration.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        configuration.setAttemptExceptionReporter((e, env) -> { });
        configuration.setLogTemplateExceptions(false);
        configuration.setWrapUncheckedExceptions(true);
        configuration.setAPIBuiltinEnabled(false);
        configuration.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
    }

    @Override
    public String renderString(String template, Map<String, Object> variables) {
        if (!TemplateText.mayBeTemplate(template)) {
            return template;
        }
        StringWriter out = new StringWriter();
        run(parse(template, template), variables, out, new Source("render", template));
        return out.toString();
    }

    @Override
    public Object render(Object value, Map<String, Object> variables) {
        if (value instanceof String text) {
            return TemplateText.singleExpression(text)
                    .map(expression -> value(expression, variables))
                    .orElseGet(() -> renderString(text, variables));
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> rendered = new LinkedHashMap<>();
            map.forEach((key, element) -> rendered.put(String.valueOf(key), render(element, variables)));
            return Collections.unmodifiableMap(rendered);
        }
        if (value instanceof List<?> list) {
            List<Object> rendered = new ArrayList<>(list.size());
            list.forEach(element -> rendered.add(render(element, variables)));
            return Collections.unmodifiableList(rendered);
        }
        return value;
    }

    @Override
    public boolean evaluate(String expression, Map<String, Object> variables) {
        String bare = TemplateText.singleExpression(expression.strip()).orElse(expression);
        Object result = value(bare, variables);
        if (result instanceof Boolean bool) {
            return bool;
        }
        if (result instanceof String text && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(text);
        }
        throw new TemplateException("condition '" + bare.strip() + "' is " + describe(result) + ", not true or false", null, null);
    }

    @Override
    public boolean isTemplate(String text) {
        return TemplateText.mayBeTemplate(text);
    }

    @Override
    public void checkSyntax(String template) {
        if (TemplateText.mayBeTemplate(template)) {
            parse(template, template);
        }
    }

    @Override
    public void checkExpression(String expression) {
        String bare = TemplateText.singleExpression(expression.strip()).orElse(expression);
        parse(expressionTemplate(bare), bare.strip());
    }

    /** Evaluates one FreeMarker expression (without {@code ${}}) to a JSON-like Java value. */
    public Object value(String expression, Map<String, Object> variables) {
        Template template = parse(expressionTemplate(expression), expression.strip());
        Environment environment = run(template, variables, Writer.nullWriter(), new Source("evaluate", expression));
        try {
            return ModelValues.toJava(environment.getMainNamespace().get(RESULT));
        } catch (TemplateModelException e) {
            throw new TemplateException("cannot use the value of '" + expression.strip() + "': " + e.getMessage(), null, e);
        }
    }

    /** An expression as a template that assigns its value, so that FreeMarker parses it as an expression. */
    private static String expressionTemplate(String expression) {
        return "<#assign " + RESULT + " = (" + expression + ")>";
    }

    private Template parse(String source, String shownAs) {
        try {
            return new Template("template", new StringReader(source), configuration);
        } catch (ParseException e) {
            throw new TemplateException("template syntax error in '" + shownAs + "': " + shorten(oneLine(e.getEditorMessage())), null, e);
        } catch (IOException e) {
            throw new TemplateException("cannot read template '" + shownAs + "': " + e.getMessage(), null, e);
        }
    }

    /** What a template run was asked to do, for error messages: render a template or evaluate an expression. */
    private record Source(String verb, String text) {
        /** The expression as the user wrote it when FreeMarker blames the {@code (expr)} we wrapped it in. */
        String unwrapped(String blamed) {
            return verb.equals("evaluate") && ("(" + text + ")").equals(blamed) ? text.strip() : blamed;
        }
    }

    private Environment run(Template template, Map<String, Object> variables, Writer out, Source source) {
        try {
            Environment environment = template.createProcessingEnvironment(model(variables), out);
            environment.process();
            return environment;
        } catch (InvalidReferenceException e) {
            String variable = source.unwrapped(e.getBlamedExpressionString());
            throw new TemplateException("undefined variable '" + variable + "'", variable, e);
        } catch (freemarker.template.TemplateException e) {
            throw new TemplateException("cannot " + source.verb() + " '" + source.text().strip() + "': " + firstSentence(e), null, e);
        } catch (IOException e) {
            throw new TemplateException("cannot " + source.verb() + " '" + source.text().strip() + "': " + e.getMessage(), null, e);
        }
    }

    private TemplateHashModel model(Map<String, Object> variables) {
        try {
            return (TemplateHashModel) wrapper.wrap(variables);
        } catch (TemplateModelException e) {
            throw new TemplateException("cannot expose the variables to templates: " + e.getMessage(), null, e);
        }
    }

    /** FreeMarker's messages run over many lines with tips; the first line says what went wrong. */
    private static String firstSentence(freemarker.template.TemplateException e) {
        String message = e.getMessageWithoutStackTop();
        String first = message == null ? e.getClass().getSimpleName() : message.strip().split("\\R", 2)[0];
        first = shorten(first.replaceFirst(":$", ""));
        if (first.contains("evaluated to a sequence") && first.contains("expected text")) {
            first += "; a list cannot be printed inside text (use ?join(\", \") or ?size)";
        }
        String blamed = e.getBlamedExpressionString();
        return blamed == null || first.contains(blamed) ? first : first + " (in '" + blamed + "')";
    }

    /** Drops FreeMarker's Java wrapper details and long help texts, which mean nothing to a playbook author. */
    private static String shorten(String message) {
        String shortened = message
                .replace("Expected a string or something automatically convertible to string (number, date or boolean),"
                        + " or \"template output\" ,", "expected text,")
                .replaceAll("\\s*\\([^()]*(?:wrapped into|wrapper:) f\\.t\\.[^()]*\\)", "");
        for (String tail : List.of(". Help (latest version)", " Check if the FreeMarker", " The alphabetical list")) {
            int cut = shortened.indexOf(tail);
            if (cut > 0) {
                shortened = shortened.substring(0, cut + (tail.startsWith(".") ? 1 : 0));
            }
        }
        return shortened.strip();
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    private static String describe(Object value) {
        return JsonValues.typeName(value);
    }
}
