using Dialtone.Engine.Sip.Fuzz;

// Fuzzing entry points for the SIP message layer. See run-afl.sh and the usage text below.
return FuzzCommand.Run(args);
