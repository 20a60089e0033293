package io.sekisho.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sekisho.tls.TestPki.Issued;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LeafMinterTest {

    private static final String HOST = "my-bucket.s3.eu-west-1.amazonaws.com";
    private static final Instant NOW = TestPki.NOW;

    private final MutableClock clock = new MutableClock(NOW);
    private final Issued root = TestPki.root("Test Root");
    private final Issued intermediate = TestPki.intermediate(root, "Test Proxy Intermediate");

    // --- every property of a leaf (issue 3, point 3) ---------------------------------------------

    @Test
    void leafHasItsOwnKeyNeverTheCaKey() throws Exception {
        Leaf leaf = minter(KeyType.EC_P256).mint(HOST);
        assertThat(leaf.certificate().getPublicKey()).isNotEqualTo(intermediate.certificate().getPublicKey());
        assertThat(leaf.privateKey().getEncoded()).isNotEqualTo(intermediate.privateKey().getEncoded());
        assertThat(leaf.privateKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void eachMintHasAFreshKeyAndADistinctPositiveSerialOfAtMost128Bits() throws Exception {
        LeafMinter minter = minter(KeyType.EC_P256);
        Set<BigInteger> serials = new HashSet<>();
        Set<Object> keys = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            X509Certificate leaf = minter.mint(HOST).certificate();
            BigInteger serial = leaf.getSerialNumber();
            assertThat(serial.signum()).isPositive();
            assertThat(serial.bitLength()).isLessThanOrEqualTo(128);
            serials.add(serial);
            keys.add(leaf.getPublicKey());
        }
        assertThat(serials).hasSize(50);
        assertThat(keys).hasSize(50);
    }

    @Test
    void sanNamesTheHostAndTheSubjectCarriesItAsCn() throws Exception {
        X509Certificate leaf = minter(KeyType.EC_P256).mint(HOST).certificate();
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(2, HOST));
        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=" + HOST + ",O=Sekisho");
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(intermediate.certificate().getSubjectX500Principal());
    }

    @ParameterizedTest(name = "{0} -> iPAddress {1}")
    @CsvSource({"127.0.0.1, 127.0.0.1", "::1, 0:0:0:0:0:0:0:1", "'[::1]', 0:0:0:0:0:0:0:1"})
    void ipLiteralsGetAnIpAddressSan(String host, String expected) throws Exception {
        X509Certificate leaf = minter(KeyType.EC_P256).mint(host).certificate();
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(7, expected));
    }

    @Test
    void aHostLongerThanACommonNameIsInTheSanOnly() throws Exception {
        String longHost = "a".repeat(60) + ".s3.amazonaws.com";
        X509Certificate leaf = minter(KeyType.EC_P256).mint(longHost).certificate();
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(2, longHost));
        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("O=Sekisho");
    }

    @Test
    void ekuIsServerAuthOnly() throws Exception {
        X509Certificate leaf = minter(KeyType.EC_P256).mint(HOST).certificate();
        assertThat(leaf.getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_serverAuth.getId());
    }

    @ParameterizedTest(name = "{0} leaf: keyEncipherment {1}")
    @CsvSource({"EC_P256, false", "RSA_2048, true"})
    void keyUsageIsDigitalSignaturePlusKeyEnciphermentForRsa(KeyType type, boolean keyEncipherment) throws Exception {
        X509Certificate leaf = minter(type).mint(HOST).certificate();
        boolean[] usage = leaf.getKeyUsage();
        assertThat(usage[0]).as("digitalSignature").isTrue();
        assertThat(usage[2]).as("keyEncipherment").isEqualTo(keyEncipherment);
        assertThat(usage[5]).as("keyCertSign").isFalse();
        assertThat(leaf.getCriticalExtensionOIDs()).contains(Extension.keyUsage.getId());
        assertThat(leaf.getPublicKey().getAlgorithm()).isEqualTo(type.algorithm());
    }

    @Test
    void isNotACa() throws Exception {
        X509Certificate leaf = minter(KeyType.EC_P256).mint(HOST).certificate();
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getCriticalExtensionOIDs()).contains(Extension.basicConstraints.getId());
    }

    @Test
    void akiIsTheCaSkiAndSkiIsTheLeafKeyId() throws Exception {
        X509Certificate leaf = minter(KeyType.EC_P256).mint(HOST).certificate();
        byte[] caSki = SubjectKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(
                intermediate.certificate().getExtensionValue(Extension.subjectKeyIdentifier.getId()))).getKeyIdentifier();
        AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(
                leaf.getExtensionValue(Extension.authorityKeyIdentifier.getId())));
        assertThat(aki.getKeyIdentifierObject().getOctets()).isEqualTo(caSki);
        assertThat(aki.getAuthorityCertIssuer()).as("key id only: survives a CA re-issue").isNull();
        SubjectKeyIdentifier ski = SubjectKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(
                leaf.getExtensionValue(Extension.subjectKeyIdentifier.getId())));
        assertThat(ski.getKeyIdentifier())
                .isEqualTo(new JcaX509ExtensionUtils().createSubjectKeyIdentifier(leaf.getPublicKey()).getKeyIdentifier());
    }

    @Test
    void validityIsBackdatedAnHourAndLastsTheConfiguredLifetime() throws Exception {
        X509Certificate leaf = minter(KeyType.EC_P256).mint(HOST).certificate();
        assertThat(leaf.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofHours(1)));
        assertThat(leaf.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(7)));
    }

    @Test
    void aShorterLifetimeIsHonoured() throws Exception {
        LeafMinter minter = new LeafMinter(ca(List.of(intermediate)), KeyType.EC_P256, Duration.ofHours(1), clock,
                new SecureRandom());
        assertThat(minter.mint(HOST).certificate().getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(1)));
    }

    @Test
    void lifetimeNeverOutlastsTheCa() throws Exception {
        Issued shortCa = TestPki.spec("CN=Short CA").ca().issuer(root)
                .validity(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(2))).issue();
        X509Certificate leaf = new LeafMinter(ca(List.of(shortCa)), clock, new SecureRandom()).mint(HOST).certificate();
        assertThat(leaf.getNotAfter()).isEqualTo(shortCa.certificate().getNotAfter());
    }

    @ParameterizedTest(name = "{0} CA, {1} leaf -> {2}")
    @CsvSource({
        "EC,  EC_P256,  SHA256withECDSA",
        "EC,  RSA_2048, SHA256withECDSA",
        "RSA, EC_P256,  SHA256withRSA",
        "RSA, RSA_2048, SHA256withRSA"})
    void signatureAlgorithmMatchesTheCaKey(String caKey, KeyType leafKey, String expected) throws Exception {
        Issued signer = TestPki.spec("CN=Signer").ca().issuer(root)
                .key(caKey.equals("EC") ? TestPki.ecKey() : TestPki.rsaKey(2048)).issue();
        X509Certificate leaf = new LeafMinter(ca(List.of(signer)), leafKey, Duration.ofDays(7), clock,
                new SecureRandom()).mint(HOST).certificate();
        assertThat(leaf.getSigAlgName()).isEqualTo(expected);
        leaf.verify(signer.certificate().getPublicKey());
    }

    @Test
    void chainIsLeafThenTheCaAndItsChainAndValidatesToTheRoot() throws Exception {
        Leaf leaf = new LeafMinter(ca(List.of(intermediate, root)), clock, new SecureRandom()).mint(HOST);
        assertThat(leaf.chain()).containsExactly(leaf.certificate(), intermediate.certificate(), root.certificate());

        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root.certificate(), null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(NOW));
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509")
                .generateCertPath(List.of(leaf.certificate(), intermediate.certificate())), parameters);
    }

    @Test
    void usesTheInjectedRandomness() throws Exception {
        AtomicLong draws = new AtomicLong();
        SecureRandom counting = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                draws.incrementAndGet();
                super.nextBytes(bytes);
            }
        };
        new LeafMinter(ca(List.of(intermediate)), clock, counting).mint(HOST);
        assertThat(draws.get()).isPositive();
    }

    // --- refusals -------------------------------------------------------------------------------

    @ParameterizedTest(name = "''{0}''")
    @CsvSource({"''", "'has space.example'", "'bücher.example'", "'-bad.example'", "'a..b'", "'x/y'"})
    void refusesWhatIsNeitherAHostNameNorAnIp(String host) {
        assertThatThrownBy(() -> minter(KeyType.EC_P256).mint(host))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a host name or IP literal: '" + host + "'");
    }

    @Test
    void refusesToMintOnceTheCaHasExpired() {
        LeafMinter minter = minter(KeyType.EC_P256);
        clock.set(intermediate.certificate().getNotAfter().toInstant().plusSeconds(1));
        assertThatThrownBy(() -> minter.mint(HOST)).isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("expired");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"PT59M", "P398D"})
    void refusesALifetimeOutsideTheSupportedRange(Duration lifetime) {
        assertThatThrownBy(() -> new LeafMinter(ca(List.of(intermediate)), KeyType.EC_P256, lifetime, clock,
                new SecureRandom()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leaf lifetime " + lifetime);
    }

    @Test
    void toStringShowsNoKey() throws Exception {
        Leaf leaf = minter(KeyType.EC_P256).mint(HOST);
        assertThat(leaf.toString()).contains(HOST).doesNotContainIgnoringCase("private");
    }

    private LeafMinter minter(KeyType type) {
        return new LeafMinter(ca(List.of(intermediate)), type, LeafMinter.DEFAULT_LIFETIME, clock, new SecureRandom());
    }

    private CertificateAuthority ca(List<Issued> chain) {
        try {
            return CertificateAuthority.of(chain.stream().map(Issued::certificate).toList(),
                    chain.get(0).privateKey(), clock);
        } catch (CaException e) {
            throw new AssertionError(e);
        }
    }
}
