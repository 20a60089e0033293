package io.sekisho.tls;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotated field, parameter or return value may be {@code null}; NullAway checks the rest
 * of {@code io.sekisho.tls} never is. tls-mitm stands alone (it does not depend on policy), so it
 * has its own copy of {@code io.sekisho.policy.Nullable}; NullAway matches by simple name.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({FIELD, METHOD, PARAMETER, TYPE_USE})
@interface Nullable {
}
