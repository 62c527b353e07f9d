package io.selectors4j.apps.common;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A size in bytes for a queue or a watermark: from 1 to {@value #MOST_BYTES} (1 GiB). */
public final class ByteCountConverter implements ITypeConverter<Integer> {
    /** The largest size accepted. */
    public static final int MOST_BYTES = 1 << 30;

    @Override
    public Integer convert(String value) {
        int bytes;
        try {
            bytes = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a number of bytes from 1 to " + MOST_BYTES);
        }
        if (bytes < 1 || bytes > MOST_BYTES) {
            throw new TypeConversionException("bytes must be from 1 to " + MOST_BYTES + ", not " + bytes);
        }
        return bytes;
    }
}
