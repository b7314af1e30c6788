namespace PgWire.Sql;

/// <summary>What a <see cref="SqlToken"/> is, in the few classes the client has to tell apart.</summary>
internal enum SqlTokenKind
{
    /// <summary>An unquoted identifier or key word (the server does not tell them apart lexically either).</summary>
    Word,

    /// <summary>A positional parameter: <c>$</c> and one or more digits.</summary>
    Placeholder,

    /// <summary>
    /// <c>@name</c> or <c>:name</c>: a named parameter of an ADO.NET command, by its form alone. Whether it is one in
    /// its place (a <c>:</c> inside an array subscript separates a slice's bounds) is for the reader of the tokens to say.
    /// </summary>
    NamedPlaceholder,

    /// <summary><c>;</c></summary>
    Semicolon,

    /// <summary><c>(</c></summary>
    OpenParenthesis,

    /// <summary><c>)</c></summary>
    CloseParenthesis,

    /// <summary><c>[</c></summary>
    OpenBracket,

    /// <summary><c>]</c></summary>
    CloseBracket,

    /// <summary>
    /// A string constant of any kind, a quoted identifier or a dollar-quoted string, quotes and prefix included;
    /// its inside is opaque. One that never closes runs to the end of the text.
    /// </summary>
    Quoted,

    /// <summary>
    /// Anything else the server does not skip, one character at a time (a digit, an operator's or punctuation's
    /// character), and a block comment that never closes: the server reports it as an error, so it must not vanish
    /// as a comment does.
    /// </summary>
    Other,
}
