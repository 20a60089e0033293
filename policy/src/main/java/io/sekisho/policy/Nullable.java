package io.sekisho.policy;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotated field, parameter or return value may be {@code null}; everything else in
 * {@code io.sekisho} may not, and NullAway checks both at compile time (docs/architecture.md,
 * "Build-enforced quality"). Ours rather than JSpecify's because policy depends on the JDK
 * only; NullAway recognises any annotation whose simple name is {@code Nullable}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({FIELD, METHOD, PARAMETER, TYPE_USE})
public @interface Nullable {
}
