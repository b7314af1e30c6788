namespace PgWire.LocalServer;

/// <summary>What a finished tool run printed, and how it exited.</summary>
internal sealed record ProcessResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The last lines of stdout and stderr, for an exception message.</summary>
    public string Tail(int lines = 30) => TextTail.Lines((StandardOutput + StandardError).Trim(), lines);

    /// <summary>"initdb failed (exit code 1):" followed by the output's tail.</summary>
    public string Describe(string what) => $"{what} failed (exit code {ExitCode}): {Command}{Environment.NewLine}{Tail()}";
}
