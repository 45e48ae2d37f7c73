namespace Pwgf.Training.Data;

/// <summary>Greyscale images as rows of pixel intensities in [0, 1] (row-major, Height x Width per image).</summary>
public sealed class ImageSet
{
    public ImageSet(float[] pixels, int count, int height, int width)
    {
        if (pixels.Length != (long)count * height * width)
            throw new ArgumentException($"Expected {count} x {height} x {width} pixels, got {pixels.Length}.", nameof(pixels));
        Pixels = pixels;
        Count = count;
        Height = height;
        Width = width;
    }

    public float[] Pixels { get; }
    public int Count { get; }
    public int Height { get; }
    public int Width { get; }
    public int PixelsPerImage => Height * Width;

    public ReadOnlySpan<float> Image(int index) => Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);

    /// <summary>The images at <paramref name="indices"/>, in that order.</summary>
    public ImageSet Select(IReadOnlyList<int> indices)
    {
        var pixels = new float[indices.Count * PixelsPerImage];
        for (int i = 0; i < indices.Count; i++) Image(indices[i]).CopyTo(pixels.AsSpan(i * PixelsPerImage));
        return new ImageSet(pixels, indices.Count, Height, Width);
    }

    public static ImageSet Concat(ImageSet first, ImageSet second)
    {
        if (first.Height != second.Height || first.Width != second.Width) throw new ArgumentException("Image sizes differ.");
        return new ImageSet([.. first.Pixels, .. second.Pixels], first.Count + second.Count, first.Height, first.Width);
    }
}
