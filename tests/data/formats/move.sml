<?xml version="1.0" encoding="utf-8"?>
<!-- Hand-written for myokinetics' tests from the SML layout GoldenCheetah (SmlParser.cpp) and
     MyTourbook read; not a real export. HR and Cadence in Hz, Temperature in K, position in
     radians. The local start 09:00 is 07:00 UTC (UTC of the periodic samples): offset +2 h. -->
<sml xmlns="http://www.suunto.com/schemas/sml">
  <DeviceLog>
    <Header>
      <Activity>Running</Activity>
      <DateTime>2024-05-01T09:00:00</DateTime>
      <Duration>6</Duration>
    </Header>
    <Device>
      <Name>Suunto Ambit3 Peak</Name>
      <SerialNumber>123456789</SerialNumber>
    </Device>
    <Samples>
      <Sample>
        <Time>0</Time>
        <Events><Lap><Type>Start</Type></Lap></Events>
      </Sample>
      <Sample>
        <Time>0</Time>
        <SampleType>periodic</SampleType>
        <UTC>2024-05-01T07:00:00.000Z</UTC>
        <HR>2.0</HR>
        <Cadence>1.4</Cadence>
        <Speed>3.1</Speed>
        <Distance>0</Distance>
        <Altitude>120</Altitude>
        <Temperature>293.15</Temperature>
      </Sample>
      <Sample>
        <Time>0.5</Time>
        <SampleType>gps-small</SampleType>
        <Latitude>0.8377580409572781</Latitude>
        <Longitude>0.17453292519943295</Longitude>
      </Sample>
      <Sample>
        <Time>1</Time>
        <SampleType>periodic</SampleType>
        <UTC>2024-05-01T07:00:01.000Z</UTC>
        <HR>2.05</HR>
        <Cadence>1.45</Cadence>
        <Speed>3.2</Speed>
        <Distance>3.2</Distance>
        <Altitude>121</Altitude>
        <Temperature>293.15</Temperature>
      </Sample>
      <Sample>
        <Time>2</Time>
        <SampleType>periodic</SampleType>
        <UTC>2024-05-01T07:00:02.000Z</UTC>
        <HR>0</HR>
        <Cadence>1.5</Cadence>
        <Speed>3.3</Speed>
        <Distance>6.5</Distance>
        <Altitude>122</Altitude>
        <Temperature>293.65</Temperature>
      </Sample>
      <Sample>
        <Time>3</Time>
        <SampleType>periodic</SampleType>
        <UTC>2024-05-01T07:00:03.000Z</UTC>
        <HR>2.1</HR>
        <Cadence>1.5</Cadence>
        <Speed>3.3</Speed>
        <Distance>9.8</Distance>
        <Altitude>122</Altitude>
        <Temperature>293.65</Temperature>
      </Sample>
    </Samples>
    <R-R>
      <Data>500 495 490 100 480 485 475 470 480 476 472 468</Data>
    </R-R>
  </DeviceLog>
</sml>
