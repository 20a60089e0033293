package io.sekisho.proxy.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of sekisho.jar. */
@Command(name = "sekisho", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A forward proxy that allows only the company's AWS accounts.",
        subcommands = CommandLine.HelpCommand.class)
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(execute(Wiring.DEFAULT, args));
    }

    /** Runs the CLI with {@code wiring}; returns the exit code. */
    public static int execute(Wiring wiring, String... args) {
        return commandLine(wiring).execute(args);
    }

    static CommandLine commandLine(Wiring wiring) {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand("run", new RunCommand(wiring));
        cl.addSubcommand("check", new CheckCommand(wiring));
        cl.addSubcommand("ca", new CaCommand());
        cl.addSubcommand("probe", new ProbeCommand());
        cl.addSubcommand("explain", new ExplainCommand(wiring));
        cl.addSubcommand("import-squid", new ImportSquidCommand());
        cl.addSubcommand("pac", new PacCommand(wiring));
        cl.addSubcommand("report", new ReportCommand());
        return cl;
    }
}
