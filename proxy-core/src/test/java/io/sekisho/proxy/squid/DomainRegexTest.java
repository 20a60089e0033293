package io.sekisho.proxy.squid;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** dstdom_regex values that are exactly a domain pattern, and those that are not. */
class DomainRegexTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ' ', nullValues = "none", value = {
        "^example\\.com$ example.com",
        "\\.example\\.com$ *.example.com",
        "(^|\\.)example\\.com$ .example.com",
        "^(.*\\.)?example\\.com$ .example.com",
        "^API\\.Vendor\\.example$ api.vendor.example",
        "example\\.com none",
        "^example.com$ none",
        "^.*tracker.*$ none",
        "\\.example\\.com none",
        "^(www|api)\\.example\\.com$ none",
        "\\.amazonaws\\.com$ *.amazonaws.com"})
    void convertsOnlyExactDomainPatterns(String regex, String expected) {
        assertThat(DomainRegex.toDomain(regex).orElse(null)).isEqualTo(expected);
    }
}
