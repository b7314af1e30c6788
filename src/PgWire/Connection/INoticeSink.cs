namespace PgWire.Connection;

/// <summary>Where a connector delivers the notices the server sends (the PgConnection using it).</summary>
internal interface INoticeSink
{
    void OnNotice(PgNotice notice);
}
