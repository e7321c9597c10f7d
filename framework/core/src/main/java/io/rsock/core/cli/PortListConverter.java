package io.rsock.core.cli;

import io.rsock.core.config.PortList;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code -p/--ports} values, checked by {@link PortList#parse}. */
final class PortListConverter implements ITypeConverter<PortList> {
    @Override
    public PortList convert(String value) {
        try {
            return PortList.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
