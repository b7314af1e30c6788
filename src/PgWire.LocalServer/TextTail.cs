namespace PgWire.LocalServer;

/// <summary>Cuts tool output and server logs down to the lines worth putting in an exception message.</summary>
internal static class TextTail
{
    public static string Lines(string text, int count)
    {
        var lines = text.Split('\n');
        return lines.Length <= count ? text : string.Join('\n', lines[^count..]);
    }

    /// <summary>What a log file gained since <paramref name="offset"/>; empty when it cannot be read.</summary>
    public static string ReadFrom(string path, long offset)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    public static long LengthOf(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
