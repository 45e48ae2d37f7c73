using System.Buffers.Binary;
using System.IO.Compression;

namespace Pwgf.Training.Data;

/// <summary>
/// Reads IDX image files, the format of MNIST and Fashion-MNIST: a big-endian header (two zero bytes, the type
/// code 0x08 for unsigned bytes, the number of dimensions, then each dimension as a 32-bit count) followed by the
/// pixels. Files ending in .gz are decompressed on the fly.
/// </summary>
public static class IdxReader
{
    public static ImageSet ReadImages(string path)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        return ReadImages(stream, path);
    }

    public static ImageSet ReadImages(Stream stream, string name = "stream")
    {
        Span<byte> header = stackalloc byte[4];
        stream.ReadExactly(header);
        if (header[0] != 0 || header[1] != 0 || header[2] != 0x08 || header[3] != 3)
        {
            throw new InvalidDataException($"{name} is not an IDX file of unsigned-byte images (3 dimensions).");
        }
        Span<byte> sizes = stackalloc byte[12];
        stream.ReadExactly(sizes);
        int count = BinaryPrimitives.ReadInt32BigEndian(sizes);
        int height = BinaryPrimitives.ReadInt32BigEndian(sizes[4..]);
        int width = BinaryPrimitives.ReadInt32BigEndian(sizes[8..]);
        if (count < 0 || height is <= 0 or > 4096 || width is <= 0 or > 4096)
        {
            throw new InvalidDataException($"{name} declares an implausible size {count} x {height} x {width}.");
        }

        var bytes = new byte[(long)count * height * width];
        stream.ReadExactly(bytes);
        var pixels = new float[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) pixels[i] = bytes[i] / 255f;
        return new ImageSet(pixels, count, height, width);
    }
}
