package main

// docs/configuration.md is generated from Config and its comments by
// TestConfigurationDoc, which also fails when the file is out of date.
//go:generate go test -run ^TestConfigurationDoc$ -update-docs .
