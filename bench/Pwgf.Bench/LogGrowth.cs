namespace Pwgf.Bench;

/// <summary>What a process appended to its log file over some time.</summary>
public readonly record struct LogGrowth(long Bytes, long Lines)
{
    /// <summary>Current length of the file; 0 when there is no such file (or no file was named).</summary>
    public static long LengthOf(string? path) =>
        path is not null && File.Exists(path) ? new FileInfo(path).Length : 0;

    /// <summary>Bytes and lines appended since the file was <paramref name="start"/> bytes long; null without a file.</summary>
    public static LogGrowth? Since(string? path, long start)
    {
        if (path is null || !File.Exists(path)) return null;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (stream.Length < start) return null;  // truncated meanwhile: nothing sensible to say
        stream.Seek(start, SeekOrigin.Begin);
        var buffer = new byte[1 << 16];
        long bytes = 0, lines = 0;
        for (int read; (read = stream.Read(buffer)) > 0;)
        {
            bytes += read;
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }
        return new LogGrowth(bytes, lines);
    }
}
