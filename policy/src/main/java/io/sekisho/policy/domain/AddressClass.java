package io.sekisho.policy.domain;

import io.sekisho.policy.Nullable;
import java.util.Objects;

/**
 * What {@link AddressClassifier} found an address to be.
 *
 * @param range the range the address itself lies in
 * @param embedded for an IPv6 form that carries an IPv4 address (IPv4-mapped, -compatible,
 *     -translated, NAT64, 6to4, Teredo), the range of that IPv4 address; else null
 */
public record AddressClass(AddressRange range, @Nullable AddressRange embedded) {
    public static final AddressClass PUBLIC = new AddressClass(AddressRange.PUBLIC, null);

    public AddressClass {
        Objects.requireNonNull(range);
    }

    /**
     * True unless the address is a plain public one. An IPv4-embedding IPv6 form is special
     * even when the IPv4 address inside is public: the translator or relay that carries it
     * is a path the operator did not choose.
     */
    public boolean special() {
        return range != AddressRange.PUBLIC;
    }

    /** The name used as a decision's rule text: "private", "nat64:cloud-metadata". */
    public String name() {
        return embedded == null ? range.label() : range.label() + ":" + embedded.label();
    }

    @Override
    public String toString() {
        return name();
    }
}
