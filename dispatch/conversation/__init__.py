"""Every inbound SMS, read as its sender meant it: a herder's need, a member's reply, a leader's command."""
