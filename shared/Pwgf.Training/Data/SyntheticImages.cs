namespace Pwgf.Training.Data;

/// <summary>
/// A small seeded image set for tests and smoke runs: noisy copies of a few fixed stroke patterns (bars, a box, a
/// cross) on a 28 x 28 grid, so a model has structure to learn and nothing has to be installed.
/// </summary>
public static class SyntheticImages
{
    public static ImageSet Generate(int count, int seed, int side = 28)
    {
        var random = new Random(seed);
        var patterns = Patterns(side);
        var pixels = new float[count * side * side];
        for (int i = 0; i < count; i++)
        {
            var pattern = patterns[i % patterns.Length];
            for (int p = 0; p < side * side; p++)
            {
                float noise = (float)random.NextDouble() * 0.2f;
                pixels[i * side * side + p] = Math.Clamp(pattern[p] * 0.85f + noise, 0f, 1f);
            }
        }
        return new ImageSet(pixels, count, side, side);
    }

    private static float[][] Patterns(int side)
    {
        float[] Draw(Func<int, int, bool> on)
        {
            var image = new float[side * side];
            for (int r = 0; r < side; r++)
                for (int c = 0; c < side; c++)
                    image[r * side + c] = on(r, c) ? 1f : 0f;
            return image;
        }
        int third = side / 3, mid = side / 2;
        return
        [
            Draw((r, c) => Math.Abs(c - mid) <= 1),                                          // vertical bar
            Draw((r, c) => Math.Abs(r - mid) <= 1),                                          // horizontal bar
            Draw((r, c) => (r == third || r == side - third || c == third || c == side - third)
                           && r >= third && r <= side - third && c >= third && c <= side - third), // box
            Draw((r, c) => Math.Abs(r - c) <= 1 || Math.Abs(r + c - side + 1) <= 1),          // cross
        ];
    }
}
